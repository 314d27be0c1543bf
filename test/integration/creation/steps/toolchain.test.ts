import { lstat, mkdir, mkdtemp, readdir, readlink, realpath, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureToolchain, linkToolchain } from '../../../../src/creation/toolchain/index.js';

const roots: string[] = [];
const tempRoot = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'pd-toolchain-'));
  roots.push(dir);
  return dir;
};

afterAll(async () => {
  for (const dir of roots) await rm(dir, { recursive: true, force: true });
});

describe('the shared toolchain', () => {
  it('links TypeScript 5.9, ESLint 9, typescript-eslint 8, Vitest 3 and core 1.7 from the host', async () => {
    const dataDir = await tempRoot();
    const toolchain = await ensureToolchain(dataDir);
    expect(toolchain.nodeModules).toBe(join(dataDir, 'toolchain', 'node_modules'));
    expect(toolchain.versions['typescript']).toMatch(/^5\.9\./);
    expect(toolchain.versions['eslint']).toMatch(/^9\./);
    expect(toolchain.versions['typescript-eslint']).toMatch(/^8\./);
    expect(toolchain.versions['vitest']).toMatch(/^3\./);
    expect(toolchain.versions['@elizaos/core']).toMatch(/^1\.7\./);
    const core = await realpath(join(toolchain.nodeModules, '@elizaos', 'core'));
    expect(core).toBe(await realpath(join(process.cwd(), 'node_modules', '@elizaos', 'core')));
    for (const entry of Object.values(toolchain.bin)) expect((await lstat(entry)).isFile()).toBe(true);
  });

  it('is prepared once: a second call, and calls at the same time, keep the same folder', async () => {
    const dataDir = await tempRoot();
    const first = await ensureToolchain(dataDir);
    const before = await lstat(join(dataDir, 'toolchain'));
    const [second, third] = await Promise.all([ensureToolchain(dataDir), ensureToolchain(dataDir)]);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect((await lstat(join(dataDir, 'toolchain'))).ino).toBe(before.ino);
    // Nothing half-made is left beside it.
    expect(await readdir(dataDir)).toEqual(['toolchain']);
  });

  it('rebuilds a toolchain whose links lead somewhere else', async () => {
    const dataDir = await tempRoot();
    const toolchain = await ensureToolchain(dataDir);
    const link = join(toolchain.nodeModules, 'typescript');
    const real = await readlink(link);
    await unlink(link);
    await symlink(dataDir, link, 'dir');
    await ensureToolchain(dataDir);
    expect(await readlink(link)).toBe(real);
    expect(await readdir(dataDir)).toEqual(['toolchain']);
  });

  it('refuses to start when already cancelled', async () => {
    const dataDir = await tempRoot();
    await expect(ensureToolchain(dataDir, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('links into a workspace as its node_modules, or package by package beside its own dependencies', async () => {
    const root = await tempRoot();
    const toolchain = await ensureToolchain(join(root, 'data'));
    const plain = join(root, 'plain');
    await mkdir(plain);
    await linkToolchain(toolchain, plain);
    await linkToolchain(toolchain, plain);
    expect(await readlink(join(plain, 'node_modules'))).toBe(toolchain.nodeModules);

    const withDeps = join(root, 'with-deps');
    await mkdir(join(withDeps, 'node_modules', 'left-pad'), { recursive: true });
    await linkToolchain(toolchain, withDeps);
    expect((await lstat(join(withDeps, 'node_modules', 'left-pad'))).isDirectory()).toBe(true);
    expect(await readlink(join(withDeps, 'node_modules', '@elizaos', 'core'))).toBe(join(toolchain.nodeModules, '@elizaos', 'core'));
    expect(await readlink(join(withDeps, 'node_modules', 'vitest'))).toBe(join(toolchain.nodeModules, 'vitest'));
  });
});
