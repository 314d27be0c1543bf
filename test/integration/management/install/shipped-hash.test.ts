import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginInstaller } from '../../../../src/management/install/index.js';
import { hashTree } from '../../../../src/shared/tree-hash.js';
import { entry } from '../../../unit/management/registry/snapshot.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, '..', 'fixtures', 'plugin-secret-echo');

describe('the installer checks the hash a creation job recorded for its shipped build', () => {
  let dataDir: string;
  let installer: PluginInstaller;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-shipped-hash-'));
    installer = new PluginInstaller({ dataDir, timeoutMs: 120_000, outputCapBytes: 4_000_000, allowInstallScripts: [], resolveRegistryEntry: async (name) => entry(name) });
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a package whose dist/ differs from the recorded build, leaving nothing installed', async () => {
    const error = await installer.install({ kind: 'folder', path: FIXTURE }, { shippedHash: 'a'.repeat(64) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SHIPPED_BUILD_MISMATCH' });
    expect((error as Error).message).toContain('a'.repeat(64));
    expect(await readdir(join(dataDir, 'plugins'))).toEqual([]);
  });

  it('installs the package when its dist/ hashes as recorded', async () => {
    const { sha256 } = await hashTree(join(FIXTURE, 'dist'));
    const pkg = await installer.install({ kind: 'folder', path: FIXTURE }, { shippedHash: sha256 });
    expect(pkg.packageName).toBe('plugin-secret-echo');
    await installer.uninstall(pkg);
  });
});
