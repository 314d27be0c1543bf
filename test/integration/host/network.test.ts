import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import { pluginDataFolder, setEgressTestHooks } from '../../../src/management/host/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { hostProcessesOf, waitFor } from './host-processes.js';
import { ALLOWED_HOST, UNDECLARED_HOST, startFixtureInternet, type FixtureInternet } from '../sandbox/egress-fixtures.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';

const here = dirname(fileURLToPath(import.meta.url));
const FETCHER = join(here, 'fixtures', 'plugin-fetcher');
const ATTACKER = join(here, 'fixtures', 'plugin-attacker');

/*
 * A real isolated plugin in the real bubblewrap sandbox: its package.json declares api.allowed.test,
 * and it reaches fixture servers on the agent's 127.0.0.1 only through the egress proxy the agent
 * starts for it. The proxy's test-only resolver maps the test names to those servers.
 */
describe('an isolated plugin reaches only the hosts it declares', () => {
  let t: TestRuntime;
  let dataDir: string;
  let internet: FixtureInternet;
  let warn: MockInstance;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const socketFolders = async () => (await readdir(join(dataDir, 'plugin-dynamic', 'sock')).catch(() => [] as string[])).filter((n) => n.startsWith('egress-'));
  const net = async (text: string) => {
    const run = await runAction(t.runtime, 'NET', text);
    return run.results[0]?.data as { result: Record<string, any>; pid: number };
  };

  beforeAll(async () => {
    internet = await startFixtureInternet();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-host-net-'));
    t = await createTestRuntime({ dataDir, plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_HOST_CALL_TIMEOUT_MS: '30000', PLUGIN_DYNAMIC_HOST_RESTART_DELAY_MS: '100' } });
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
    setEgressTestHooks(t.runtime, { resolveHost: internet.resolveHost, allowPrivateAddresses: true });
    warn = vi.spyOn(t.runtime.logger, 'warn');
    await approvedStep(management(), () => management().install(FETCHER, { activate: true }));
    // Declares no host: it gets no proxy and no network.
    await approvedStep(management(), () => management().install(ATTACKER, { activate: true }));
  });

  afterAll(async () => {
    setEgressTestHooks(t.runtime, undefined);
    await t?.cleanup({ keepData: true });
    await internet?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs isolated, with one egress proxy: for the plugin that declares a host, not the one that does not', async () => {
    expect(management().get('plugin-fetcher')).toMatchObject({ status: 'active', isolation: 'isolated' });
    expect(management().get('plugin-attacker')).toMatchObject({ status: 'active', isolation: 'isolated' });
    const folders = await socketFolders();
    expect(folders).toHaveLength(1);
    expect(existsSync(join(dataDir, 'plugin-dynamic', 'sock', folders[0]!, 'proxy.sock'))).toBe(true);
  });

  it('gets the answer of its declared host, with fetch and with http.get', async () => {
    const fetched = await net(`fetch http://${ALLOWED_HOST}/weather?city=Oslo`);
    expect(fetched.pid).not.toBe(process.pid);
    expect(fetched.result).toEqual({ status: 200, body: `http hello from ${ALLOWED_HOST}/weather?city=Oslo` });
    const got = await net(`get http://${ALLOWED_HOST}/forecast`);
    expect(got.result).toEqual({ status: 200, body: `http hello from ${ALLOWED_HOST}/forecast` });
    expect(internet.requests).toContain(`http ${ALLOWED_HOST} /weather?city=Oslo`);
  });

  it('is refused an undeclared host, and the refusal is logged with the plugin and the host', async () => {
    const fetched = await net(`fetch http://${UNDECLARED_HOST}/steal`);
    expect(fetched.result['error']).toMatch(/Proxy response \(403\)/);
    const got = await net(`get http://${UNDECLARED_HOST}/steal-again`);
    expect(got.result['status']).toBe(403);
    expect(got.result['body']).toContain('not among the hosts the plugin declared');
    expect(internet.requests.some((r) => r.includes('/steal'))).toBe(false);
    const refusals = warn.mock.calls.filter(([fields]) => (fields as Record<string, unknown>)?.['host'] === UNDECLARED_HOST);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals[0]![0]).toMatchObject({ plugin: 'plugin-fetcher', host: UNDECLARED_HOST, reason: 'undeclared-host' });
    expect(String(refusals[0]![1])).toContain(`plugin plugin-fetcher tried to reach ${UNDECLARED_HOST}`);
  });

  it('still cannot reach 127.0.0.1, directly or through the proxy', async () => {
    const before = internet.requests.length;
    const direct = await net(`connect 127.0.0.1:${internet.httpPort}`);
    expect(direct.result['connected']).toBe(false);
    const proxied = await net(`fetch http://127.0.0.1:${internet.httpPort}/`);
    expect(proxied.result['error']).toMatch(/Proxy response \(403\)/);
    expect(internet.requests.length).toBe(before);
  });

  it('its proxy ends with its host: after deactivate no socket remains, and a new one comes with activate', async () => {
    const [folder] = await socketFolders();
    await management().deactivate('plugin-fetcher');
    expect(await socketFolders()).toEqual([]);
    expect(existsSync(join(dataDir, 'plugin-dynamic', 'sock', folder!))).toBe(false);

    await management().activate('plugin-fetcher');
    const again = await socketFolders();
    expect(again).toHaveLength(1);
    expect(again[0]).not.toBe(folder);
    expect((await net(`fetch http://${ALLOWED_HOST}/again`)).result).toEqual({ status: 200, body: `http hello from ${ALLOWED_HOST}/again` });

    await management().uninstall('plugin-fetcher');
    expect(await socketFolders()).toEqual([]);
  });

  it('a host that dies takes its proxy with it; the restarted host gets a new one', async () => {
    await approvedStep(management(), () => management().install(FETCHER, { activate: true }));
    const [folder] = await socketFolders();
    expect(folder).toBeDefined();
    for (const pid of hostProcessesOf(pluginDataFolder(join(dataDir, 'plugin-dynamic'), 'plugin-fetcher'))) process.kill(pid, 'SIGKILL');
    await waitFor('the plugin to move to error', () => management().get('plugin-fetcher').status === 'error');
    await waitFor('the restart', () => management().get('plugin-fetcher').status === 'active');
    const after = await socketFolders();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(folder);
    expect((await net(`fetch http://${ALLOWED_HOST}/restarted`)).result).toEqual({ status: 200, body: `http hello from ${ALLOWED_HOST}/restarted` });
  });
});
