import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentRuntime, stringToUuid, type Character } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { pluginDynamic, type PluginManagementService } from '../../../src/index.js';
import { startRouteHost } from '../../helpers/route-host.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const TOKEN = 'logging-test-token-0123456789';

/** Every call to one logger level whose first argument carries this code. */
function callsWithCode(spy: MockInstance, code: string): unknown[][] {
  return spy.mock.calls.filter((call) => (call[0] as { code?: string } | undefined)?.code === code);
}

describe("plugin-dynamic's start-up line, refusal logs and capabilities, in a real runtime", () => {
  let dataDir: string;
  let runtime: AgentRuntime;
  let info: MockInstance;
  let warn: MockInstance;
  let server: Awaited<ReturnType<typeof startRouteHost>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-logging-'));
    const character: Character = {
      name: 'LogAgent',
      bio: ['Checks what plugin-dynamic logs.'],
      settings: { PGLITE_DATA_DIR: join(dataDir, 'db'), PLUGIN_DYNAMIC_DATA_DIR: join(dataDir, 'plugin-dynamic'), PLUGIN_DYNAMIC_API_TOKEN: TOKEN },
    };
    runtime = new AgentRuntime({ character, agentId: stringToUuid('LogAgent') });
    // Watched before plugin-dynamic registers, so its start-up line is seen.
    info = vi.spyOn(runtime.logger, 'info');
    warn = vi.spyOn(runtime.logger, 'warn');
    await runtime.registerPlugin(sqlPlugin);
    await runtime.runPluginMigrations();
    await runtime.registerPlugin(pluginDynamic);
    await runtime.initialize();
    await Promise.all([runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
    server = await startRouteHost(runtime);
  });
  afterAll(async () => {
    await server?.close();
    await runtime?.getCache('logging:flush');
    await runtime?.stop();
    await runtime?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('logs one start-up line: data folder, sandbox and control groups, bounds, generator, runtimes', () => {
    const lines = info.mock.calls.map((call): unknown => call[1]).filter((text): text is string => typeof text === 'string' && text.startsWith('plugin-dynamic started'));
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line).toContain(`data folder ${join(dataDir, 'plugin-dynamic')}`);
    expect(line).toMatch(/sandbox bwrap, cgroup-v[12]: 2048 MB memory and 512 processes per job/);
    expect(line).toContain('bounds: 300 s and 1024 KB output per tool run, 1200 s per model call, 7200 s per job, workspace 1024 MB');
    expect(line).toContain('isolation auto (generated plugins and user sources isolated, registry plugins in-process)');
    expect(line).toMatch(/; job queue in-process \(\d+ at once\); isolation /);
    expect(line).toContain('generator auto (template now: no TEXT_LARGE model, so chat cannot be answered)');
    expect(line).toMatch(/agent on node \d+\.\d+\.\d+, child processes on node \d+\.\d+\.\d+ at \/\S+ \(the agent itself\)$/);
  });

  it('tells the agent, through the capabilities provider, that chat needs a model and what works without one', async () => {
    const state = await runtime.composeState(
      { id: '00000000-0000-0000-0000-0000000000c1', entityId: runtime.agentId, roomId: runtime.agentId, content: { text: 'can you make plugins?' } },
      ['plugin_creation_capabilities'],
    );
    expect(state.text).toContain(
      'Chat: no TEXT_LARGE model, so chat messages get no answer (bootstrap replies through TEXT_LARGE); the CLI, the HTTP API, the web panel and the TypeScript API work without one',
    );
    expect(state.text).toMatch(/Runtime: agent on node \d+\.\d+\.\d+; child processes on node \d+\.\d+\.\d+ at \/\S+/);
    expect(state.values['chatNeedsModel']).toBe(true);
  });

  it('logs a refused install once, with its code', async () => {
    const dir = join(dataDir, 'plugin-postinstall');
    await mkdir(join(dir, 'dist'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'plugin-postinstall', version: '1.0.0', type: 'module', main: 'dist/index.js', scripts: { postinstall: 'echo hi' } }));
    await writeFile(join(dir, 'dist', 'index.js'), "export default { name: 'plugin-postinstall', description: 'has a postinstall' };\n");
    const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
    await expect(management?.install({ kind: 'folder', path: dir })).rejects.toMatchObject({ code: 'INSTALL_SCRIPTS_REFUSED' });
    const logged = callsWithCode(warn, 'INSTALL_SCRIPTS_REFUSED');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.[1]).toMatch(/^\[INSTALL_SCRIPTS_REFUSED\] Install refused: /);
  });

  it('logs a refused token once per request, with its code and route, never the token', async () => {
    const res = await fetch(`${server.pluginUrl}/plugins/uninstall`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer wrong-token-0123456789' },
      body: JSON.stringify({ plugin: 'plugin-notes' }),
    });
    expect(res.status).toBe(401);
    const logged = callsWithCode(warn, 'UNAUTHORIZED');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.[0]).toMatchObject({ route: 'POST /plugins/uninstall' });
    expect(JSON.stringify(logged)).not.toContain('wrong-token');
  });
});
