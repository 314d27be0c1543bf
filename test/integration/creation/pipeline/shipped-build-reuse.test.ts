import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedFile } from '../../../../src/creation/generators/generator.js';
import { templateFiles } from '../../../../src/creation/generators/template/index.js';
import { buildShipped, ShippedBuilder, shippedSourcesKey, type ShipCompiler } from '../../../../src/creation/pipeline/shipped-build.js';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { ensureToolchain, type Toolchain } from '../../../../src/creation/toolchain/index.js';
import { ScanWorker } from '../../../../src/creation/validate/index.js';

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

describe('the shipped build made by the job\'s warm scanner', () => {
  const scanners: ScanWorker[] = [];
  afterAll(() => {
    for (const scanner of scanners) scanner.close();
  });
  const build = (name: string, sources: GeneratedFile[], compiler?: ShipCompiler) =>
    buildShipped({ dir: join(root, name), spec, dependencies: {}, sources, toolchain, timeoutMs: 120_000, outputCapBytes: 4_194_304, signal: new AbortController().signal, ...(compiler ? { compiler } : {}) });
  const warmScanner = (opts: ConstructorParameters<typeof ScanWorker>[0] = {}): ScanWorker => {
    const scanner = new ScanWorker(opts);
    scanners.push(scanner);
    return scanner;
  };

  it('is, byte for byte, the build a whole-program tsc makes from the same sources', async () => {
    const sources = templateFiles(spec);
    const byTsc = await build('by-tsc', sources);
    const warm = await build('by-scanner', sources, warmScanner());
    expect(byTsc.compiler).toBe('tsc');
    expect(warm.compiler).toBe('warm scanner');
    expect(warm.files).toBe(byTsc.files);
    expect(warm.sha256).toBe(byTsc.sha256);
  }, 120_000);

  it('is left to tsc when a declaration needs the whole program, which then ships it', async () => {
    const sources = [...templateFiles(spec), { path: 'src/inferred.ts', content: "import { sayHelloAction } from './actions/say-hello.js';\nexport const actionName = sayHelloAction.name;\n" }];
    const built = await build('inferred', sources, warmScanner());
    expect(built.compiler).toBe('tsc');
    expect(await readFile(join(built.dir, 'dist', 'inferred.d.ts'), 'utf8')).toContain('export declare const actionName: string;');
  }, 120_000);

  it('fails on a syntax error, as tsc does', async () => {
    const sources = templateFiles(spec).map((f) => (f.path === 'src/index.ts' ? { ...f, content: `${f.content}\nexport const = 1;\n` } : f));
    await expect(build('broken', sources, warmScanner())).rejects.toMatchObject({ code: 'GENERATION_FAILED', message: expect.stringContaining('TS1134') });
  }, 120_000);

  it('is made by tsc instead when the scanner answers with a file its sources do not make, and that file is not written', async () => {
    const answer = JSON.stringify({ id: 1, outputs: [{ path: 'dist/evil.js', content: 'globalThis.owned = true;' }], diagnostics: [], wholeProgram: false });
    const lying = warmScanner({ sandbox: { kind: 'none', wrap: (s) => ({ ...s, args: ['-e', `process.stdin.once('data', () => process.stdout.write(${JSON.stringify(`${answer}\n`)}))`] }) } });
    const sources = templateFiles(spec);
    const built = await build('lied-to', sources, lying);
    expect(built.compiler).toBe('tsc');
    expect(built.sha256).toBe((await build('honest', sources)).sha256);
    expect(existsSync(join(built.dir, 'dist', 'evil.js'))).toBe(false);
  }, 120_000);
});
