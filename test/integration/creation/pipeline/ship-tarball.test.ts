import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFiles } from '../../../../src/creation/generators/template/index.js';
import { packShipped } from '../../../../src/creation/pipeline/ship-tarball.js';
import { buildShipped } from '../../../../src/creation/pipeline/shipped-build.js';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { ensureToolchain } from '../../../../src/creation/toolchain/index.js';
import { tarballPackageName } from '../../../../src/management/install/tarball-name.js';
import { runNpm } from '../../../../src/shared/npm/npm-client.js';

const spec = parsePluginSpec({
  name: '@elizaos/plugin-packed',
  description: 'A plugin packed without starting npm',
  version: '1.2.3',
  actions: [{ name: 'sayHello', description: 'Says hello', parameters: {} }],
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pd-ship-tarball-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function entries(file: string): Promise<{ path: string; mtime: number | undefined; uid: number | undefined }[]> {
  const found: { path: string; mtime: number | undefined; uid: number | undefined }[] = [];
  await list({ file, onReadEntry: (entry) => found.push({ path: entry.path, mtime: entry.mtime?.getTime(), uid: entry.uid }) });
  return found;
}

describe('the shipped build packed in-process', () => {
  it('holds exactly the files npm pack publishes from the same folder, as npm writes them', async () => {
    const toolchain = await ensureToolchain(join(root, 'data'));
    const dir = join(root, 'shipped');
    const signal = new AbortController().signal;
    await buildShipped({ dir, spec, dependencies: {}, sources: templateFiles(spec), toolchain, timeoutMs: 120_000, outputCapBytes: 4_194_304, signal });
    // Test output that reached dist/ anyway (a shipped source importing a test helper) is not published.
    await mkdir(join(dir, 'dist', '__tests__'), { recursive: true });
    await writeFile(join(dir, 'dist', '__tests__', 'support.js'), 'export {};\n');
    await writeFile(join(dir, 'dist', 'extra.test.js'), 'export {};\n');

    const packed = await packShipped(dir, spec);
    expect(packed).toBe(join(dir, 'elizaos-plugin-packed-1.2.3.tgz'));
    const npm = await runNpm(['pack', dir, '--dry-run', '--json'], { cwd: root, dataDir: join(root, 'data'), timeoutMs: 120_000, outputCapBytes: 4_194_304 });
    expect(npm.ok).toBe(true);
    const byNpm = (JSON.parse(npm.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => `package/${f.path}`).sort();
    const ours = await entries(packed);
    expect(ours.map((e) => e.path).sort()).toEqual(byNpm);
    expect(new Set(ours.map((e) => e.mtime))).toEqual(new Set([Date.parse('1985-10-26T08:15:00.000Z')]));
    expect(ours.every((e) => e.uid === undefined || e.uid === 0)).toBe(true);
    // The name an install reads from it before npm runs (to match an installed plugin, or to replace it).
    expect(await tarballPackageName(packed)).toBe('@elizaos/plugin-packed');
    await writeFile(join(root, 'not-a.tgz'), 'plain text');
    expect(await tarballPackageName(join(root, 'not-a.tgz'))).toBeUndefined();
  }, 180_000);
});
