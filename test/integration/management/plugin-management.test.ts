import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { componentCounts } from '../../helpers/component-counts.js';
import { runAction } from '../../helpers/run-action.js';
import type { TestRuntime } from '../../helpers/runtime.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';

const here = dirname(fileURLToPath(import.meta.url));
const SECRET_FIXTURE = join(here, 'fixtures', 'plugin-secret-echo');
const SECRET_VALUE = 'planted-secret-4d9f2c7a81';

describe('plugin management in a live runtime', () => {
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  let dataDir: string;
  let t: TestRuntime;
  const output: string[] = [];
  const restoreWrites: (() => void)[] = [];

  const start = async () => {
    t = await startManagementRuntime(dataDir, server.url);
  };
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    // Everything written to stdout/stderr is kept to check that no secret value is ever logged.
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      });
      restoreWrites.push(() => (stream.write = original));
    }
    server = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-management-'));
    await start();
  });

  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await server?.close();
    for (const restore of restoreWrites) restore();
    await rm(dataDir, { recursive: true, force: true });
  });

  let baseline: ReturnType<typeof componentCounts>;

  it('finds a 1.x plugin in the registry through LIST_AVAILABLE_PLUGINS', async () => {
    const run = await runAction(t.runtime, 'LIST_AVAILABLE_PLUGINS', 'search plugins for bootstrap');
    expect(run.results[0]?.success).toBe(true);
    const names = (run.results[0]?.data?.['results'] as { name: string }[]).map((r) => r.name);
    expect(names[0]).toBe('@elizaos/plugin-bootstrap');
    expect(run.replies[0]?.text).toContain('@elizaos/plugin-bootstrap');
  });

  it('installs a published plugin by its registry name and loads it', async () => {
    baseline = componentCounts(t.runtime);
    const run = await runAction(t.runtime, 'INSTALL_PLUGIN', 'please install bootstrap');
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    const view = management().get('@elizaos/plugin-bootstrap');
    expect(view.status).toBe('active');
    expect(view.trust).toBe('registry');
    expect(view.version).toMatch(/^1\./);
    expect(t.runtime.actions.some((a) => a.name === 'NONE')).toBe(true);
  });

  it("runs one of the installed plugin's actions through processActions", async () => {
    const run = await runAction(t.runtime, 'NONE', 'nothing to do');
    expect(run.results.some((r) => r.success)).toBe(true);
  });

  it('deactivates it: its actions are gone and its services stopped', async () => {
    const services = management().get('bootstrap').components.services;
    expect(services.length).toBeGreaterThan(0);
    const run = await runAction(t.runtime, 'DEACTIVATE_PLUGIN', 'deactivate @elizaos/plugin-bootstrap');
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    expect(management().get('bootstrap').status).toBe('inactive');
    expect(t.runtime.actions.some((a) => a.name === 'NONE')).toBe(false);
    for (const type of services) expect(t.runtime.hasService(type)).toBe(false);
    expect(componentCounts(t.runtime)).toEqual(baseline);
  });

  it('re-activates it, then unload removes every component it registered', async () => {
    await management().activate('bootstrap');
    expect(t.runtime.actions.some((a) => a.name === 'NONE')).toBe(true);
    const run = await runAction(t.runtime, 'UNLOAD_PLUGIN', 'unload the bootstrap plugin');
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    expect(management().get('bootstrap').status).toBe('installed');
    expect(componentCounts(t.runtime)).toEqual(baseline);
  });

  it('refuses to unload a plugin the host registered at start-up', async () => {
    await expect(management().unload('plugin-dynamic')).rejects.toMatchObject({ code: 'PROTECTED_PLUGIN' });
  });

  it('refuses a plugin with a missing required setting until it is configured', async () => {
    const installed = await management().install(SECRET_FIXTURE, { activate: true });
    expect(installed.status).toBe('needs_configuration');
    expect(installed.missingSettings).toEqual(['SECRET_ECHO_TOKEN']);
    await expect(management().activate('plugin-secret-echo')).rejects.toMatchObject({
      code: 'NEEDS_CONFIGURATION',
      message: expect.stringContaining('SECRET_ECHO_TOKEN'),
    });
    const configured = await runAction(
      t.runtime,
      'CONFIGURE_PLUGIN',
      `configure plugin-secret-echo SECRET_ECHO_TOKEN=${SECRET_VALUE}`,
    );
    expect(configured.results[0]?.success, configured.results[0]?.text).toBe(true);
    const active = await approvedStep(management(), () => management().activate('plugin-secret-echo'));
    expect(active.status).toBe('active');
    // A folder is a user source: it runs isolated by default, and its value stays out of the runtime.
    expect(active).toMatchObject({ trust: 'user-source', isolation: 'isolated', isolationDecidedBy: 'default' });
    expect(t.runtime.getSetting('SECRET_ECHO_TOKEN')).toBeNull();
  });

  it('gives the plugin its value through getSetting', async () => {
    const run = await runAction(t.runtime, 'CHECK_SECRET_TOKEN', 'check the token');
    const expected = createHash('sha256').update(SECRET_VALUE).digest('hex').slice(0, 12);
    expect(run.results[0]?.data?.['fingerprint']).toBe(expected);
    expect(process.env['SECRET_ECHO_TOKEN']).toBeUndefined();
  });

  it('comes back after a restart on the same data folder, re-activating what was active', async () => {
    await management().activate('bootstrap');
    await t.cleanup({ keepData: true, restartable: true });
    await start();
    expect(management().get('bootstrap').status).toBe('active');
    expect(management().get('plugin-secret-echo').status).toBe('active');
    expect(t.runtime.actions.some((a) => a.name === 'NONE')).toBe(true);
    const run = await runAction(t.runtime, 'CHECK_SECRET_TOKEN', 'check the token again');
    expect(run.results[0]?.success).toBe(true);
  });

  it('never shows the secret value in providers, stored records or logs', async () => {
    const state = await t.runtime.composeState(
      {
        id: '00000000-0000-0000-0000-000000000001',
        entityId: t.runtime.agentId,
        roomId: t.runtime.agentId,
        content: { text: 'which plugins are installed?' },
      },
      ['dynamicPluginsStatus'],
    );
    expect(state.text).toContain('plugin-secret-echo');
    expect(JSON.stringify(state)).not.toContain(SECRET_VALUE);
    for (const key of ['plugin-dynamic:installed-plugins', 'plugin-dynamic:settings']) {
      expect(JSON.stringify(await t.runtime.getCache(key))).not.toContain(SECRET_VALUE);
    }
    expect(JSON.stringify(management().list())).not.toContain(SECRET_VALUE);
    expect(output.join('')).not.toContain(SECRET_VALUE);
  });

  it('uninstalls: the files are gone and the plugin is forgotten', async () => {
    const installDir = management().get('bootstrap').installDir;
    const run = await runAction(t.runtime, 'UNINSTALL_PLUGIN', 'uninstall @elizaos/plugin-bootstrap');
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    expect(existsSync(installDir)).toBe(false);
    expect(management().list().map((p) => p.packageName)).toEqual(['plugin-secret-echo']);
    expect(t.runtime.actions.some((a) => a.name === 'NONE')).toBe(false);
  });
});
