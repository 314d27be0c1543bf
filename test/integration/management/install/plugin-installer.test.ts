import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginInstaller } from '../../../../src/management/install/index.js';
import { agentPackageDir, runNpm } from '../../../../src/shared/npm/index.js';
import { entry } from '../../../unit/management/registry/snapshot.js';

const here = dirname(fileURLToPath(import.meta.url));
const SECRET_FIXTURE = join(here, '..', 'fixtures', 'plugin-secret-echo');

async function fixturePackage(root: string, name: string, pkg: Record<string, unknown>, code: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'dist/index.js', ...pkg }));
  await writeFile(join(dir, 'dist', 'index.js'), code);
  return dir;
}

describe('PluginInstaller with the real npm client', () => {
  let dataDir: string;
  let work: string;
  let installer: PluginInstaller;
  const plugins = () => readdir(join(dataDir, 'plugins'));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-install-'));
    work = await mkdtemp(join(tmpdir(), 'pd-install-src-'));
    installer = new PluginInstaller({
      dataDir,
      timeoutMs: 120_000,
      outputCapBytes: 4_000_000,
      allowInstallScripts: [],
      resolveRegistryEntry: async (name) => entry(name),
    });
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('installs a local folder, reading its settings and components, linked to the host core', async () => {
    const pkg = await installer.install({ kind: 'folder', path: SECRET_FIXTURE });
    expect(pkg).toMatchObject({ packageName: 'plugin-secret-echo', pluginName: 'plugin-secret-echo', version: '1.0.0' });
    expect(pkg.settings).toEqual([
      expect.objectContaining({ name: 'SECRET_ECHO_TOKEN', required: true, sensitive: true }),
    ]);
    expect(pkg.components.actions).toEqual(['CHECK_SECRET_TOKEN']);
    expect(existsSync(pkg.entry)).toBe(true);
    expect(await plugins()).toEqual(['plugin-secret-echo']);
    await installer.uninstall(pkg);
    expect(existsSync(pkg.installDir)).toBe(false);
  });

  it('installs a published 1.x plugin by registry name, picking its 1.x version from npm', async () => {
    const pkg = await installer.install({ kind: 'registry', name: '@elizaos/plugin-bootstrap' });
    expect(pkg.version).toMatch(/^1\./);
    expect(pkg.components.actions).toContain('REPLY');
    const core = join(pkg.installDir, 'node_modules', '@elizaos', 'core');
    expect(realpathSync(core)).toBe(realpathSync(agentPackageDir('@elizaos/core')));
    await installer.uninstall(pkg);
  });

  it('installs from a tarball made with npm pack', async () => {
    const dir = await fixturePackage(work, 'plugin-tar-fixture', {}, "export default { name: 'plugin-tar-fixture', description: 'from a tarball', actions: [] };\n");
    const packed = await runNpm(['pack', '--pack-destination', work, '--json'], { cwd: dir, dataDir, timeoutMs: 60_000, outputCapBytes: 1_000_000 });
    const file = (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename;
    const pkg = await installer.install({ kind: 'tarball', path: join(work, file) });
    expect(pkg.pluginName).toBe('plugin-tar-fixture');
    await installer.uninstall(pkg);
  });

  it('refuses a package that exports no plugin and leaves nothing behind', async () => {
    const dir = await fixturePackage(work, 'not-a-plugin', {}, 'export const answer = 42;\n');
    await expect(installer.install({ kind: 'folder', path: dir })).rejects.toMatchObject({ code: 'NOT_A_PLUGIN' });
    expect(await plugins()).toEqual([]);
  });

  it('refuses a package with an install script unless it is allowed by name', async () => {
    const dir = await fixturePackage(
      work,
      'plugin-postinstall',
      { scripts: { postinstall: 'node -e "require(\'fs\').writeFileSync(\'/tmp/pwned\', \'x\')"' } },
      "export default { name: 'plugin-postinstall', description: 'has a postinstall' };\n",
    );
    await expect(installer.install({ kind: 'folder', path: dir })).rejects.toMatchObject({ code: 'INSTALL_SCRIPTS_REFUSED' });
    expect(await plugins()).toEqual([]);
    const allowing = new PluginInstaller({ ...installerOptions(), allowInstallScripts: ['plugin-postinstall'] });
    const pkg = await allowing.install({ kind: 'folder', path: dir });
    expect(pkg.packageName).toBe('plugin-postinstall');
    await allowing.uninstall(pkg);
  });

  it('refuses a package that depends on a git URL', async () => {
    const dir = await fixturePackage(
      work,
      'plugin-gitdep',
      { dependencies: { leftpad: 'git+https://example.invalid/leftpad.git' } },
      "export default { name: 'plugin-gitdep', description: 'git dependency' };\n",
    );
    await expect(installer.install({ kind: 'folder', path: dir })).rejects.toMatchObject({ code: 'UNSAFE_DEPENDENCY' });
    expect(await plugins()).toEqual([]);
  });

  it('says a version that does not exist is not on npm', async () => {
    await expect(installer.install({ kind: 'npm', name: '@elizaos/plugin-bootstrap', range: '0.0.1-nope' })).rejects.toMatchObject({
      code: 'PLUGIN_NOT_FOUND',
    });
    expect(await plugins()).toEqual([]);
  });

  function installerOptions() {
    return { dataDir, timeoutMs: 120_000, outputCapBytes: 4_000_000, allowInstallScripts: [], resolveRegistryEntry: async (n: string) => entry(n) };
  }
});
