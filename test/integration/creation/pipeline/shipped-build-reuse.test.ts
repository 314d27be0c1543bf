import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedFile } from '../../../../src/creation/generators/generator.js';
import { templateFiles } from '../../../../src/creation/generators/template/index.js';
import { ShippedBuilder, shippedSourcesKey } from '../../../../src/creation/pipeline/shipped-build.js';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { ensureToolchain, type Toolchain } from '../../../../src/creation/toolchain/index.js';

const spec = parsePluginSpec({
  name: '@elizaos/plugin-reuse',
  description: 'A plugin whose shipped build is made once',
  version: '1.0.0',
  actions: [{ name: 'sayHello', description: 'Says hello', parameters: {} }],
});

let root: string;
let toolchain: Toolchain;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pd-shipped-reuse-'));
  toolchain = await ensureToolchain(join(root, 'data'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function builder(name: string): ShippedBuilder {
  const signal = new AbortController().signal;
  return new ShippedBuilder(() => ({ dir: join(root, name), spec, dependencies: {}, toolchain, timeoutMs: 120_000, outputCapBytes: 4_194_304, signal }));
}

/** The template's sources with one more exported constant in src/index.ts (a changed source). */
function changed(files: GeneratedFile[]): GeneratedFile[] {
  return files.map((f) => (f.path === 'src/index.ts' ? { ...f, content: `${f.content}\nexport const SHIPPED_MARK = 'second';\n` } : f));
}

describe('the shipped build started early', () => {
  it('is taken when the accepted sources are identical', async () => {
    const sources = templateFiles(spec);
    const shipped = builder('same');
    shipped.prepare(sources);
    const built = await shipped.ship(sources.map((f) => ({ ...f })));
    expect(built.reused).toContain(shippedSourcesKey(sources, {}).slice(0, 12));
    expect(built.files).toBeGreaterThan(0);
  }, 120_000);

  it('is built again when a source changed after it started, and ships the changed source', async () => {
    const sources = templateFiles(spec);
    const shipped = builder('changed');
    shipped.prepare(sources);
    const built = await shipped.ship(changed(sources));
    expect(built.reused).toBeUndefined();
    expect(await readFile(join(built.dir, 'dist', 'index.js'), 'utf8')).toContain('SHIPPED_MARK');
  }, 120_000);

  it('keys on the shipped sources and the dependencies, not on tests', () => {
    const sources = templateFiles(spec);
    const key = shippedSourcesKey(sources, {});
    expect(shippedSourcesKey([...sources, { path: 'src/__tests__/extra.test.ts', content: 'x' }], {})).toBe(key);
    expect(shippedSourcesKey(changed(sources), {})).not.toBe(key);
    expect(shippedSourcesKey(sources, { slugify: '1.2.3' })).not.toBe(key);
  });
});
