import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginInstaller } from '../../../../src/management/install/index.js';
import { agentPackageDir, runNpm } from '../../../../src/shared/npm/index.js';
import { unpinnedPackages, type Lockfile } from '../../../../src/management/install/lockfile.js';
import type { InstalledPackage } from '../../../../src/management/types.js';
import { bwrapSandbox, bwrapWorks } from '../../../../src/shared/sandbox/index.js';
import { entry } from '../../../unit/management/registry/snapshot.js';

const here = dirname(fileURLToPath(import.meta.url));
const SECRET_FIXTURE = join(here, '..', 'fixtures', 'plugin-secret-echo');
const sandboxed = await bwrapWorks();

const readLock = async (dir: string) => JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as Lockfile;

describe('which lockfile entries count as pinned', () => {
  const lock = (packages: Lockfile['packages']): Lockfile => ({ lockfileVersion: 3, packages });

  it('needs an integrity hash on every installed package, but not on the root, links or their targets', () => {
    expect(
      unpinnedPackages(
        lock({
          '': { version: '1.0.0' },
          'node_modules/@elizaos/core': { resolved: '../../../host/node_modules/@elizaos/core', link: true },
          '../../../host/node_modules/@elizaos/core': { version: '1.7.2' },
          'node_modules/a': { version: '1.0.0', integrity: 'sha512-x' },
          'node_modules/a/node_modules/b': { version: '2.0.0' },
        }),
      ),
    ).toEqual(['node_modules/a/node_modules/b']);
  });

  it('accepts a git dependency pinned to a full commit, not one pinned to a branch', () => {
    const sha = 'a'.repeat(40);
    expect(
      unpinnedPackages(
        lock({
          'node_modules/pinned': { resolved: `git+ssh://git@github.com/o/pinned.git#${sha}` },
          'node_modules/branch': { resolved: 'git+ssh://git@github.com/o/branch.git#main' },
        }),
      ),
    ).toEqual(['node_modules/branch']);
  });
});

describe(`PluginInstaller lockfile and restore (npm ${sandboxed ? 'in bubblewrap' : 'unsandboxed: no bubblewrap here'})`, () => {
  let dataDir: string;
  let work: string;
  let installer: PluginInstaller;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-lock-'));
    work = await mkdtemp(join(tmpdir(), 'pd-lock-src-'));
    installer = new PluginInstaller({
      dataDir,
      timeoutMs: 180_000,
      outputCapBytes: 4_000_000,
      allowInstallScripts: [],
      resolveRegistryEntry: async (name) => entry(name),
      sandbox: async () => (sandboxed ? bwrapSandbox : undefined),
    });
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  let folderPkg: InstalledPackage;
  let firstIntegrity: string | undefined;

  it('keeps a lockfile that pins the installed package by its integrity hash', async () => {
    folderPkg = await installer.install({ kind: 'folder', path: SECRET_FIXTURE });
    const lock = await readLock(folderPkg.installDir);
    firstIntegrity = lock.packages['node_modules/plugin-secret-echo']?.integrity;
    expect(firstIntegrity).toMatch(/^sha512-/);
    expect(unpinnedPackages(lock)).toEqual([]);
    // The packed tarball stays in the folder, so a restore needs neither the source nor a cache.
    expect((await readdir(folderPkg.installDir)).filter((f) => f.endsWith('.tgz'))).toEqual(['plugin-secret-echo-1.0.0.tgz']);
  });

  it('reinstalls the same bytes with npm ci when node_modules is gone, linked to the host core', async () => {
    await rm(join(folderPkg.installDir, 'node_modules'), { recursive: true, force: true });
    await rm(join(dataDir, 'npm-cache'), { recursive: true, force: true });
    expect(await installer.restore(folderPkg)).toBe(true);
    expect(existsSync(folderPkg.entry)).toBe(true);
    const lock = await readLock(folderPkg.installDir);
    expect(lock.packages['node_modules/plugin-secret-echo']?.integrity).toBe(firstIntegrity);
    const core = join(folderPkg.installDir, 'node_modules', '@elizaos', 'core');
    expect(realpathSync(core)).toBe(realpathSync(agentPackageDir('@elizaos/core')));
    expect(await installer.restore(folderPkg)).toBe(false);
  });

  it('refuses to restore a tarball whose bytes no longer match the lockfile', async () => {
    await rm(join(folderPkg.installDir, 'node_modules'), { recursive: true, force: true });
    await rm(join(dataDir, 'npm-cache'), { recursive: true, force: true });
    const tgz = join(folderPkg.installDir, 'plugin-secret-echo-1.0.0.tgz');
    const original = await readFile(tgz);
    await writeFile(tgz, Buffer.concat([original, Buffer.from('tampered')]));
    await expect(installer.restore(folderPkg)).rejects.toMatchObject({ code: 'RESTORE_FAILED' });
    expect(existsSync(folderPkg.entry)).toBe(false);
    await writeFile(tgz, original);
    expect(await installer.restore(folderPkg)).toBe(true);
  });

  it('refuses to restore when the host core moved since the install', async () => {
    const manifestFile = join(folderPkg.installDir, 'package.json');
    const manifest = await readFile(manifestFile, 'utf8');
    const parsed = JSON.parse(manifest) as { overrides: Record<string, string> };
    parsed.overrides['@elizaos/core'] = 'file:/somewhere/else/@elizaos/core';
    await writeFile(manifestFile, JSON.stringify(parsed));
    await rm(join(folderPkg.installDir, 'node_modules'), { recursive: true, force: true });
    await expect(installer.restore(folderPkg)).rejects.toMatchObject({
      code: 'RESTORE_FAILED',
      message: expect.stringContaining('@elizaos/core'),
    });
    await writeFile(manifestFile, manifest);
  });

  it('says to reinstall when the lockfile is gone too', async () => {
    await rm(join(folderPkg.installDir, 'node_modules'), { recursive: true, force: true });
    await rm(join(folderPkg.installDir, 'package-lock.json'));
    await expect(installer.restore(folderPkg)).rejects.toMatchObject({
      code: 'RESTORE_FAILED',
      message: expect.stringContaining('install it again'),
    });
    await installer.uninstall(folderPkg);
  });

  it('installs a published plugin from the registry and restores it from the lockfile', async () => {
    const pkg = await installer.install({ kind: 'npm', name: '@elizaos/plugin-bootstrap', range: '1.x' });
    const lock = await readLock(pkg.installDir);
    expect(unpinnedPackages(lock)).toEqual([]);
    const integrity = lock.packages['node_modules/@elizaos/plugin-bootstrap']?.integrity;
    expect(integrity).toMatch(/^sha512-/);
    await rm(join(pkg.installDir, 'node_modules'), { recursive: true, force: true });
    expect(await installer.restore(pkg)).toBe(true);
    expect(existsSync(pkg.entry)).toBe(true);
    expect((await readLock(pkg.installDir)).packages['node_modules/@elizaos/plugin-bootstrap']?.integrity).toBe(integrity);
    const core = join(pkg.installDir, 'node_modules', '@elizaos', 'core');
    expect(realpathSync(core)).toBe(realpathSync(agentPackageDir('@elizaos/core')));
    await installer.uninstall(pkg);
  });

  it.runIf(sandboxed)('runs npm where it sees only the folders it was given', async () => {
    const hidden = join(work, 'plugin-hidden');
    await mkdir(hidden, { recursive: true });
    await writeFile(join(hidden, 'package.json'), JSON.stringify({ name: 'plugin-hidden', version: '1.0.0' }));
    const out = join(dataDir, 'pack-out');
    await mkdir(out, { recursive: true });
    const base = { cwd: out, dataDir, timeoutMs: 60_000, outputCapBytes: 1_000_000, sandbox: bwrapSandbox };
    const unseen = await runNpm(['pack', hidden, '--pack-destination', out, '--json'], base);
    expect(unseen.ok).toBe(false);
    const seen = await runNpm(['pack', hidden, '--pack-destination', out, '--json'], { ...base, readOnly: [hidden] });
    expect(seen.ok, seen.stderr).toBe(true);
    expect(existsSync(join(out, 'plugin-hidden-1.0.0.tgz'))).toBe(true);
  });
});
