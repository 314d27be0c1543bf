import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { runAction } from '../../helpers/run-action.js';
import type { TestRuntime } from '../../helpers/runtime.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';

/** A plugin folder whose one action answers with a fixed word. */
async function pluginFolder(root: string, name: string, action: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'dist/index.js', peerDependencies: { '@elizaos/core': '1.x' } }));
  await writeFile(
    join(dir, 'dist', 'index.js'),
    `const action = { name: '${action}', similes: [], description: 'answers ${name}', validate: async () => true,
  handler: async (_runtime, _message, _state, _options, callback) => { if (callback) await callback({ text: '${name} is here' }); return { success: true, text: '${name} is here' }; } };
export default { name: '${name}', description: 'restore fixture', actions: [action] };\n`,
  );
  return dir;
}

const lockedIntegrity = async (installDir: string, name: string): Promise<string | undefined> =>
  (JSON.parse(await readFile(join(installDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { integrity?: string }> })
    .packages[`node_modules/${name}`]?.integrity;

describe('installed plugins after a restart that lost their node_modules', () => {
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  let dataDir: string;
  let sources: string;
  let t: TestRuntime;

  const start = async () => {
    t = await startManagementRuntime(dataDir, server.url);
  };
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    server = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-restore-'));
    sources = await mkdtemp(join(tmpdir(), 'pd-restore-src-'));
    await start();
  });
  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(sources, { recursive: true, force: true });
  });

  it('reinstalls them from their lockfiles and re-activates them; one without a lockfile goes to error', async () => {
    const keptFolder = await pluginFolder(sources, 'plugin-restore-kept', 'RESTORE_KEPT_PING');
    const lostFolder = await pluginFolder(sources, 'plugin-restore-lost', 'RESTORE_LOST_PING');
    const kept = await approvedStep(management(), () => management().install(keptFolder, { activate: true, allowedRoots: [sources] }));
    const lost = await approvedStep(management(), () => management().install(lostFolder, { activate: true, allowedRoots: [sources] }));
    expect([kept.status, lost.status]).toEqual(['active', 'active']);
    const integrity = await lockedIntegrity(kept.installDir, 'plugin-restore-kept');
    expect(integrity).toMatch(/^sha512-/);

    await t.cleanup({ keepData: true, restartable: true });
    await rm(join(kept.installDir, 'node_modules'), { recursive: true, force: true });
    await rm(join(lost.installDir, 'node_modules'), { recursive: true, force: true });
    await rm(join(lost.installDir, 'package-lock.json'));
    await rm(join(dataDir, 'plugin-dynamic', 'npm-cache'), { recursive: true, force: true });
    await start();

    expect(management().get('plugin-restore-kept').status).toBe('active');
    expect(existsSync(join(kept.installDir, 'node_modules', 'plugin-restore-kept', 'dist', 'index.js'))).toBe(true);
    expect(await lockedIntegrity(kept.installDir, 'plugin-restore-kept')).toBe(integrity);
    const run = await runAction(t.runtime, 'RESTORE_KEPT_PING', 'ping the restored plugin');
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    expect(run.replies[0]?.text).toBe('plugin-restore-kept is here');

    const failed = management().get('plugin-restore-lost');
    expect(failed.status).toBe('error');
    expect(failed.lastError).toMatchObject({ code: 'RESTORE_FAILED', message: expect.stringContaining('install it again') });
    expect(t.runtime.actions.some((a) => a.name === 'RESTORE_LOST_PING')).toBe(false);
  });

  it('lets the broken one be uninstalled and installed again', async () => {
    await management().uninstall('plugin-restore-lost');
    const again = await approvedStep(management(), () => management().install(join(sources, 'plugin-restore-lost'), { activate: true, allowedRoots: [sources] }));
    expect(again.status).toBe('active');
  });
});
