import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { pluginDataFolder } from '../../../src/management/host/index.js';
import { hostProcessesOf } from '../host/host-processes.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { runAction } from '../../helpers/run-action.js';
import type { TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const NAME = 'plugin-replace-me';
const SPEC = {
  name: NAME,
  description: 'Answers with a fixed greeting',
  version: '1.0.0',
  actions: [{ name: 'sayHello', description: 'Say hello to the user', parameters: { who: 'string' } }],
};

/** A one-file plugin folder standing for what a creation job built; `init` fails when `broken`. */
async function builtPlugin(root: string, version: string, opts: { broken?: boolean } = {}): Promise<string> {
  const dir = join(root, `${NAME}-${version}${opts.broken ? '-broken' : ''}`);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: NAME, version, type: 'module', main: 'dist/index.js', peerDependencies: { '@elizaos/core': '1.x' } }));
  const init = opts.broken ? `init: async () => { throw new Error('version ${version} cannot start'); },` : '';
  await writeFile(
    join(dir, 'dist', 'index.js'),
    `const action = { name: 'REPLACE_ME_VERSION', similes: [], description: 'says its version', validate: async () => true,
  handler: async (_r, _m, _s, _o, callback) => { if (callback) await callback({ text: 'version ${version}' }); return { success: true, text: 'version ${version}', data: { pid: process.pid } }; } };
export default { name: '${NAME}', description: 'replace fixture', ${init} actions: [action] };\n`,
  );
  return dir;
}

describe('a plugin made by an earlier job is never replaced silently', () => {
  let registry: FixtureServer;
  let dataDir: string;
  let sources: string;
  let t: TestRuntime;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const version = async () => (await runAction(t.runtime, 'REPLACE_ME_VERSION', 'which version?')).replies[0]?.text;
  /** The process the plugin's action ran in, and its host processes (an isolated plugin runs in its data folder). */
  const runsIn = async () => (await runAction(t.runtime, 'REPLACE_ME_VERSION', 'which process?')).results[0]?.data?.['pid'];
  const hosts = () => hostProcessesOf(pluginDataFolder(join(dataDir, 'plugin-dynamic'), NAME));
  const expectIsolated = async () => {
    expect(management().get(NAME).isolation).toBe('isolated');
    expect(await runsIn()).not.toBe(process.pid);
    expect(hosts().length).toBeGreaterThan(0);
  };
  const generated = { trust: 'generated' as const, recordSource: { kind: 'generated' as const, jobId: 'earlier-job' } };

  beforeAll(async () => {
    registry = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-replace-'));
    sources = await mkdtemp(join(tmpdir(), 'pd-replace-src-'));
    t = await startManagementRuntime(dataDir, registry.url);
    await t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE);
    const first = await management().install(await builtPlugin(sources, '1.0.0'), { ...generated, activate: true, allowedRoots: [sources] });
    expect(first.status).toBe('active');
    await expectIsolated();
  });
  afterAll(async () => {
    await t?.cleanup();
    await registry?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(sources, { recursive: true, force: true });
  });

  it('refuses a new creation job with the same name unless the request says replace', async () => {
    const run = await runAction(t.runtime, 'CREATE_PLUGIN', JSON.stringify({ specification: SPEC }));
    expect(run.results[0]?.success).toBe(false);
    expect(run.results[0]?.data?.['code']).toBe('ALREADY_INSTALLED');
    expect(run.results[0]?.text).toContain('replace');
    expect(creation().listJobs()).toEqual([]);
    await expect(creation().createFromSpec(SPEC)).rejects.toMatchObject({ code: 'ALREADY_INSTALLED' });
    const queued = await creation().createFromSpec(SPEC, { replace: true });
    expect(queued.replace).toBe(true);
    await creation().cancel(queued.id);
  });

  it('refuses a second install of the same package without replace, before anything is written', async () => {
    const staged = async () => (await readdir(join(dataDir, 'plugin-dynamic', 'plugins'))).sort();
    const before = await staged();
    await expect(
      management().install(await builtPlugin(sources, '2.0.0'), { ...generated, allowedRoots: [sources] }),
    ).rejects.toMatchObject({ code: 'ALREADY_INSTALLED' });
    expect(await staged()).toEqual(before);
    expect(await version()).toBe('version 1.0.0');
  });

  it('keeps the earlier version, loaded, when the new one fails to load', async () => {
    const installDir = management().get(NAME).installDir;
    await expect(
      management().install(await builtPlugin(sources, '2.0.0', { broken: true }), { ...generated, replace: true, activate: true, allowedRoots: [sources] }),
    ).rejects.toMatchObject({ message: expect.stringContaining(`The earlier ${NAME}@1.0.0 was kept.`) });
    expect(management().get(NAME)).toMatchObject({ version: '1.0.0', status: 'active', installDir });
    expect(existsSync(installDir)).toBe(true);
    expect(await version()).toBe('version 1.0.0');
    // The earlier version is put back the way it ran: in its own host.
    await expectIsolated();
  });

  it('replaces it with replace once the new one is loaded, leaving no earlier folder behind', async () => {
    const replaced = await management().install(await builtPlugin(sources, '2.0.0'), { ...generated, replace: true, activate: true, allowedRoots: [sources] });
    expect(replaced).toMatchObject({ version: '2.0.0', status: 'active' });
    expect(await version()).toBe('version 2.0.0');
    const leftovers = (await readdir(dirname(replaced.installDir))).filter((f) => f.includes('.previous-'));
    expect(leftovers).toEqual([]);
    // A generated plugin stays isolated when replaced: the new version runs in a host, not in the agent.
    await expectIsolated();
  });
});
