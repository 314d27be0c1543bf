import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import { pluginDataFolder, setEgressTestHooks } from '../../../src/management/host/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { ALLOWED_HOST, UNDECLARED_HOST, startFixtureInternet, type FixtureInternet } from '../sandbox/egress-fixtures.js';
import { hostProcessesOf, running, waitFor } from './host-processes.js';

const here = dirname(fileURLToPath(import.meta.url));
const PROBE = join(here, 'fixtures', 'plugin-warm-probe');
const NEIGHBOUR = join(here, 'fixtures', 'plugin-warm-neighbour');
const AGENT_SECRET = 'warm-agent-env-secret-3f81';
const B_SECRET = 'plugin-b-data-secret-a9c2';
const A_KEPT = 'plugin-a-kept-across-hosts-77d0';
const C_SECRET = 'plugin-c-data-at-rest-secret-51e4';

type Probe = Record<string, any>;

/*
 * Warm plugin hosts (PLUGIN_DYNAMIC_WARM_HOST=on): a spare host started ahead in bubblewrap and its
 * control group with nothing of any plugin, given one plugin at activation. A real runtime with
 * plugin-sql, real bubblewrap; plugin A is a probe that reports what it can reach, plugin B a plugin
 * with network and data of its own, both on warm hosts.
 */
describe('a warm plugin host, given one plugin at activation', () => {
  let t: TestRuntime;
  let dataDir: string;
  let pd: string;
  let internet: FixtureInternet;
  let listener: Server;
  let port = 0;
  let connections = 0;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const warmRoot = () => join(pd, 'warm');
  const probe = async (text: string): Promise<Probe> => {
    const run = await runAction(t.runtime, 'PROBE', text);
    expect(run.results[0]?.success).toBe(true);
    return run.results[0]?.data?.['result'] as Probe;
  };
  const net = async (text: string): Promise<Probe> => (await runAction(t.runtime, 'NET', text)).results[0]?.data?.['result'] as Probe;
  /** The warm folder whose tenant record names the plugin (undefined when none does). */
  const tenancyOf = (packageName: string): string | undefined =>
    readdirSync(warmRoot())
      .map((id) => join(warmRoot(), id))
      .find((root) => existsSync(join(root, 'tenant.json')) && JSON.parse(readFileSync(join(root, 'tenant.json'), 'utf8')).packageName === packageName);
  const spare = async () => {
    const ready = await management().warmSpare();
    if (!ready) throw new Error('no warm host is ready');
    return ready;
  };

  beforeAll(async () => {
    process.env['PLANTED_AGENT_SECRET'] = AGENT_SECRET;
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
    internet = await startFixtureInternet();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-warm-host-'));
    pd = join(dataDir, 'plugin-dynamic');
    t = await createTestRuntime({ dataDir, plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_WARM_HOST: 'on' } });
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
    setEgressTestHooks(t.runtime, { resolveHost: internet.resolveHost, allowPrivateAddresses: true });
    // Plugin B's data, there before its first activation.
    await mkdir(pluginDataFolder(pd, 'plugin-warm-neighbour'), { recursive: true });
    await writeFile(join(pluginDataFolder(pd, 'plugin-warm-neighbour'), 'b-secret.txt'), B_SECRET);
    // The data of a plugin that is not running: it stays where it is.
    await mkdir(pluginDataFolder(pd, 'plugin-not-running'), { recursive: true });
    await writeFile(join(pluginDataFolder(pd, 'plugin-not-running'), 'c-secret.txt'), C_SECRET);
    await approvedStep(management(), () => management().install(NEIGHBOUR, { activate: true }));
  });

  afterAll(async () => {
    delete process.env['PLANTED_AGENT_SECRET'];
    setEgressTestHooks(t.runtime, undefined);
    await t?.cleanup({ keepData: true });
    await internet?.close();
    await new Promise((resolve) => listener?.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts a spare host at service start, with nothing of any plugin in its folders', async () => {
    // B took the first spare; this is the one started behind it.
    const ready = await spare();
    expect(ready.root.startsWith(warmRoot())).toBe(true);
    expect(readdirSync(join(ready.root, 'p'))).toEqual([]);
    expect(readdirSync(join(ready.root, 'd'))).toEqual([]);
    expect(readdirSync(join(ready.root, 'n'))).toEqual([]);
    expect(existsSync(join(ready.root, 'tenant.json'))).toBe(false);
    expect(ready.rssBytes).toBeGreaterThan(0);
    expect(ready.pid !== undefined && running(ready.pid)).toBe(true);
  });

  it('activates a plugin on the spare: its action answers, from the spare, in its own data folder', async () => {
    const before = await spare();
    await approvedStep(management(), () => management().install(PROBE, { activate: true }));
    expect(management().get('plugin-warm-probe')).toMatchObject({ status: 'active', isolation: 'isolated' });
    const me = await probe('whoami');
    expect(me.pid).not.toBe(process.pid);
    // It runs in the spare's data folder, its HOME: the host that was waiting, not one started for it.
    expect(me.cwd).toBe(join(before.root, 'd'));
    expect(me.home).toBe(join(before.root, 'd'));
    expect(me.self).toBe(join(before.root, 'p', 'node_modules', 'plugin-warm-probe', 'dist', 'index.js'));
    expect(hostProcessesOf(join(before.root, 'd')).length).toBeGreaterThan(0);
    expect(tenancyOf('plugin-warm-probe')).toBe(before.root);
    // A new spare was started behind it.
    expect((await spare()).root).not.toBe(before.root);
  });

  it("cannot read plugin B's installed files or data, the agent's environment, or any other host's folders", async () => {
    const me = await probe('whoami');
    expect(me.planted).toBeNull();
    expect(me.envKeys).not.toContain('PLANTED_AGENT_SECRET');
    const b = management().get('plugin-warm-neighbour');
    const bTenancy = tenancyOf('plugin-warm-neighbour');
    expect(bTenancy).toBeDefined();
    // B's data is in its own warm host's data folder now, and that host can read it (the test's reference).
    expect(readFileSync(join(bTenancy!, 'd', 'b-secret.txt'), 'utf8')).toBe(B_SECRET);
    const targets = [
      join(b.installDir, 'node_modules', 'plugin-warm-neighbour', 'package.json'),
      join(bTenancy!, 'p', 'node_modules', 'plugin-warm-neighbour', 'package.json'),
      join(bTenancy!, 'd', 'b-secret.txt'),
      join(pluginDataFolder(pd, 'plugin-warm-neighbour'), 'b-secret.txt'),
      join(bTenancy!, 'tenant.json'),
      join((await spare()).root, 'tenant.json'),
      join(pd, 'keys', 'secret.key'),
    ];
    for (const target of targets) expect(await probe(`read ${target}`), target).toMatchObject({ ok: false, code: 'ENOENT' });
    for (const folder of [join(pd, 'plugins'), join(pd, 'plugin-data'), join(bTenancy!, 'n'), join((await spare()).root, 'd')]) {
      expect(await probe(`list ${folder}`), folder).toMatchObject({ ok: false, code: 'ENOENT' });
    }
    // Of the warm hosts' folders it sees its own only.
    const own = tenancyOf('plugin-warm-probe')!;
    expect(await probe(`list ${warmRoot()}`)).toEqual({ ok: true, value: [own.slice(warmRoot().length + 1)] });
    expect((await probe(`read ${me.self}`)).ok).toBe(true);
  });

  it('was handed its own installed files and its own data, nothing more', async () => {
    const own = tenancyOf('plugin-warm-probe')!;
    const installDir = management().get('plugin-warm-probe').installDir;
    // Its plugin folder holds what its installed folder holds, entry for entry.
    expect(await probe(`list ${join(own, 'p')}`)).toEqual({ ok: true, value: readdirSync(installDir) });
    expect(await probe(`list ${join(own, 'p', 'node_modules')}`)).toEqual({ ok: true, value: readdirSync(join(installDir, 'node_modules')) });
    // Nowhere in what it was given: another plugin's name, files or data.
    for (const needle of ['plugin-warm-neighbour', B_SECRET, C_SECRET, 'plugin-not-running']) {
      expect(await probe(`grep ${own} ${needle}`), needle).toEqual({ ok: true, value: [] });
    }
    expect(readFileSync(join(pluginDataFolder(pd, 'plugin-not-running'), 'c-secret.txt'), 'utf8')).toBe(C_SECRET);
  });

  it('writes only its own data folder: its installed files are read-only, and its data outlives the host', async () => {
    const me = await probe('whoami');
    expect(await probe(`write ${me.self}`)).toMatchObject({ ok: false, code: 'EROFS' });
    // Beside its data folder is the sandbox's own private /tmp at most (the test's data folder is under
    // /tmp), never the warm host's real folder.
    await probe(`write ${join(dirname(me.cwd), 'beside-home.txt')}`);
    expect(existsSync(join(dirname(me.cwd), 'beside-home.txt'))).toBe(false);
    expect(await probe(`write ${join(me.cwd, 'kept.txt')}`)).toMatchObject({ ok: true });
    await management().deactivate('plugin-warm-probe');
    expect(readFileSync(join(pluginDataFolder(pd, 'plugin-warm-probe'), 'kept.txt'), 'utf8')).toBe('written by the probe');
    await writeFile(join(pluginDataFolder(pd, 'plugin-warm-probe'), 'kept.txt'), A_KEPT);
    await management().activate('plugin-warm-probe');
    const again = await probe('whoami');
    expect(await probe(`read ${join(again.cwd, 'kept.txt')}`)).toEqual({ ok: true, value: A_KEPT });
  });

  it('has no network when it declares none; a plugin that declares a host reaches only that one', async () => {
    const direct = await probe(`connect 127.0.0.1:${port}`);
    expect(direct['connected']).toBe(false);
    expect(connections).toBe(0);
    const bTenancy = tenancyOf('plugin-warm-neighbour')!;
    const [bProxy] = readdirSync(join(bTenancy, 'n'));
    expect(bProxy).toBeDefined();
    expect(await probe(`connect ${join(bTenancy, 'n', bProxy!, 'proxy.sock')}`)).toMatchObject({ connected: false, code: 'ENOENT' });
    expect(readdirSync(join(tenancyOf('plugin-warm-probe')!, 'n'))).toEqual([]);

    expect(await net(`fetch http://${ALLOWED_HOST}/weather`)).toEqual({ status: 200, body: `http hello from ${ALLOWED_HOST}/weather` });
    expect((await net(`fetch http://${UNDECLARED_HOST}/steal`))['error']).toMatch(/Proxy response \(403\)/);
    expect(internet.requests.some((r) => r.includes('/steal'))).toBe(false);
  });

  it('gives every activation a fresh host (a fresh module) and removes the last one entirely', async () => {
    const first = await probe('whoami');
    const firstTenancy = tenancyOf('plugin-warm-probe')!;
    const nextSpare = await spare();
    await management().deactivate('plugin-warm-probe');
    expect(existsSync(firstTenancy)).toBe(false);
    expect(hostProcessesOf(firstTenancy)).toEqual([]);
    await management().activate('plugin-warm-probe');
    const second = await probe('whoami');
    expect(second.calls).toBe(1);
    expect(second.cwd).toBe(join(nextSpare.root, 'd'));
    expect(second.cwd).not.toBe(first.cwd);

    const secondTenancy = tenancyOf('plugin-warm-probe')!;
    await management().unload('plugin-warm-probe');
    expect(existsSync(secondTenancy)).toBe(false);
    expect(hostProcessesOf(secondTenancy)).toEqual([]);
    expect(readFileSync(join(pluginDataFolder(pd, 'plugin-warm-probe'), 'kept.txt'), 'utf8')).toBe(A_KEPT);
  });

  it('a warm host that dies gives the data back; the restarted plugin runs on a fresh host with its data', async () => {
    await management().activate('plugin-warm-probe');
    const me = await probe('whoami');
    const tenancy = tenancyOf('plugin-warm-probe')!;
    const pids = hostProcessesOf(join(tenancy, 'd'));
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone with the one killed before it (bwrap and its Node).
      }
    }
    await waitFor('the plugin to move to error', () => management().get('plugin-warm-probe').status === 'error');
    await waitFor('the restart', () => management().get('plugin-warm-probe').status === 'active');
    expect(existsSync(tenancy)).toBe(false);
    const again = await probe('whoami');
    expect(again.cwd).not.toBe(me.cwd);
    expect(await probe(`read ${join(again.cwd, 'kept.txt')}`)).toEqual({ ok: true, value: A_KEPT });
    await management().unload('plugin-warm-probe');
  });

  it("counts its warm data folder against its storage quota; when stopped for it, its data goes back to its own folder", async () => {
    await management().activate('plugin-warm-probe');
    const me = await probe('whoami');
    expect(tenancyOf('plugin-warm-probe')).toBe(dirname(me.cwd));
    // The quota may stop the host before the action has answered: its answer is not looked at.
    await runAction(t.runtime, 'PROBE', `fill ${join(me.cwd, 'big.bin')} ${2 * 1024 * 1024}`);
    await waitFor('the plugin to be stopped', () => management().get('plugin-warm-probe').status === 'error');
    expect(management().get('plugin-warm-probe').lastError?.code).toBe('STORAGE_QUOTA_EXCEEDED');
    expect(tenancyOf('plugin-warm-probe')).toBeUndefined();
    expect(hostProcessesOf(dirname(me.cwd))).toEqual([]);
    expect(readdirSync(pluginDataFolder(pd, 'plugin-warm-probe')).sort()).toEqual(['big.bin', 'kept.txt']);
    await rm(join(pluginDataFolder(pd, 'plugin-warm-probe'), 'big.bin'));
  });

  it('kills the spare and every warm host when the service stops, and removes their folders', async () => {
    const ready = await spare();
    const bTenancy = tenancyOf('plugin-warm-neighbour')!;
    await t.cleanup({ keepData: true });
    expect(ready.pid !== undefined && running(ready.pid)).toBe(false);
    expect(hostProcessesOf(warmRoot())).toEqual([]);
    expect(existsSync(ready.root)).toBe(false);
    expect(existsSync(bTenancy)).toBe(false);
    expect(readdirSync(warmRoot())).toEqual([]);
    // B's data is back where it lives between hosts.
    expect(readFileSync(join(pluginDataFolder(pd, 'plugin-warm-neighbour'), 'b-secret.txt'), 'utf8')).toBe(B_SECRET);
  });
});
