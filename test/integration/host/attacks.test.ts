import { createServer, type Server } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import { pluginDataFolder } from '../../../src/management/host/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { processesWithArgs, waitFor } from './host-processes.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';

const here = dirname(fileURLToPath(import.meta.url));
const ATTACKER = join(here, 'fixtures', 'plugin-attacker');
const SECRET_ECHO = join(here, '..', 'management', 'fixtures', 'plugin-secret-echo');
const AGENT_SECRET = 'agent-env-secret-51c9e0';
const ECHO_TOKEN = 'echo-token-secret-7d21aa';

describe('attacks from a loaded, isolated plugin', () => {
  let t: TestRuntime;
  let dataDir: string;
  let listener: Server;
  let port = 0;
  let connections = 0;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const attack = async (text: string) => {
    const run = await runAction(t.runtime, 'ATTACK', text);
    return run.results[0];
  };
  const attackData = async (text: string) => (await attack(text))?.data?.['result'] as Record<string, any>;
  /** The host died: status error naming the reason, then back to active after the restart. */
  const diedWith = async (pattern: RegExp) => {
    await waitFor('the plugin to move to error', () => management().get('plugin-attacker').status === 'error');
    const view = management().get('plugin-attacker');
    expect(view.lastError?.code).toBe('HOST_DIED');
    expect(view.lastError?.message).toMatch(pattern);
    await waitFor('the restart', () => management().get('plugin-attacker').status === 'active');
  };

  beforeAll(async () => {
    process.env['PLANTED_AGENT_SECRET'] = AGENT_SECRET;
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
    dataDir = await mkdtemp(join(tmpdir(), 'pd-host-attacks-'));
    t = await createTestRuntime({
      dataDir,
      plugins: [pluginDynamic],
      settings: {
        PLUGIN_DYNAMIC_HOST_CALL_TIMEOUT_MS: '4000',
        PLUGIN_DYNAMIC_HOST_MEMORY_MB: '128',
        PLUGIN_DYNAMIC_HOST_RESTART_DELAY_MS: '100',
        PLUGIN_DYNAMIC_HOST_MAX_RESTARTS: '8',
      },
    });
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
    await approvedStep(management(), () => management().install(ATTACKER, { activate: true }));
    await management().install(SECRET_ECHO);
    await management().setIsolation('plugin-secret-echo', 'in-process');
    await management().configure('plugin-secret-echo', { SECRET_ECHO_TOKEN: ECHO_TOKEN });
    await management().activate('plugin-secret-echo');
  });

  afterAll(async () => {
    delete process.env['PLANTED_AGENT_SECRET'];
    await t?.cleanup({ keepData: true });
    await new Promise((resolve) => listener?.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs isolated by default, shown with its trust tier', () => {
    expect(management().get('plugin-attacker')).toMatchObject({ status: 'active', trust: 'user-source', isolation: 'isolated', isolationDecidedBy: 'default' });
  });

  it("cannot read the agent's environment, the key file or ~/.ssh", async () => {
    const keyFile = join(dataDir, 'plugin-dynamic', 'keys', 'secret.key');
    expect(existsSync(keyFile)).toBe(true);
    const result = await attackData(`read ${keyFile}`);
    expect(result['planted']).toBeNull();
    expect(result['envKeys']).not.toContain('PLANTED_AGENT_SECRET');
    expect(result['file']).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(result['ssh']).toMatchObject({ ok: false });
    expect(result['home']).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).not.toContain(readFileSync(keyFile, 'utf8').trim());
  });

  it("cannot read another plugin's secret through getSetting", async () => {
    expect(t.runtime.getSetting('SECRET_ECHO_TOKEN')).toBe(ECHO_TOKEN);
    const result = await attackData('setting SECRET_ECHO_TOKEN');
    expect(result['value']).toBeNull();
  });

  it('gets an error naming any runtime method the narrow runtime lacks', async () => {
    const result = await attackData('runtime');
    expect(result['management']).toMatchObject({ ok: false, code: 'HOST_UNSUPPORTED_METHOD' });
    expect(result['management'].message).toContain('getService');
    expect(result['adapter'].message).toContain('runtime.getAllMemories');
  });

  it('cannot connect to 127.0.0.1', async () => {
    const result = await attackData(`connect 127.0.0.1:${port}`);
    expect(result['connected']).toBe(false);
    expect(connections).toBe(0);
  });

  it('writes only inside its own data folder, which it keeps', async () => {
    // Its own code is read-only; a path elsewhere lands at most in its private, throwaway /tmp.
    const ownCode = join(management().get('plugin-attacker').installDir, 'package.json');
    const rewrite = await attackData(`write ${ownCode}`);
    expect(rewrite['outside']).toMatchObject({ ok: false, code: 'EROFS' });
    expect(readFileSync(ownCode, 'utf8')).not.toContain('escaped');
    const outside = join(dataDir, 'escaped.txt');
    await attackData(`write ${outside}`);
    expect(existsSync(outside)).toBe(false);
    const rooted = await attackData('write /etc/escaped.txt');
    expect(rooted['outside']).toMatchObject({ ok: false });
    expect(existsSync('/etc/escaped.txt')).toBe(false);
    expect(rooted['ownExists']).toBe(true);
    expect(existsSync(join(pluginDataFolder(join(dataDir, 'plugin-dynamic'), 'plugin-attacker'), 'own-file.txt'))).toBe(true);
  });

  it('a detached process it spawns ends with the plugin', async () => {
    const result = await attackData('spawn');
    expect(result['pid']).toEqual(expect.any(Number));
    await waitFor('the detached sleep to start', () => processesWithArgs('sleep', '3607').length > 0);
    await management().deactivate('plugin-attacker');
    await waitFor('the detached sleep to end', () => processesWithArgs('sleep', '3607').length === 0);
    await management().activate('plugin-attacker');
  });

  it('a busy loop in a provider returns in bounded time; the wedged host is killed and restarted', async () => {
    const state = await t.runtime.composeState(
      { id: '00000000-0000-0000-0000-0000000000b1', entityId: t.runtime.agentId, roomId: t.runtime.agentId, content: { text: 'loop' } },
      ['BUSY_PROVIDER'],
    );
    expect((state.data?.providers?.['BUSY_PROVIDER']?.data as Record<string, unknown> | undefined)?.['code']).toBe('HOST_CALL_TIMEOUT');
    await diedWith(/stopped answering/);
  });

  it('100 MB printed to stdout stops the host at the output cap', async () => {
    // The writes may all be queued before the cap is hit, so the action's own answer is either;
    // what matters is that the host is stopped and the status names why.
    await attack('print');
    await diedWith(/output cap/);
  });

  it('unbounded allocation stops the host at the memory bound', async () => {
    const result = await attack('allocate');
    expect(result?.success).toBe(false);
    await diedWith(/memory limit/);
  });

  it('a crash during an action is a failed result; the host is restarted', async () => {
    const result = await attack('crash');
    expect(result?.success).toBe(false);
    expect(result?.data?.['code']).toBe('HOST_DIED');
    await diedWith(/the attacker crashed its host/);
  });

  it('the agent carries on: its other plugin still answers', async () => {
    const run = await runAction(t.runtime, 'CHECK_SECRET_TOKEN', 'check');
    expect(run.results[0]?.success).toBe(true);
    await management().uninstall('plugin-attacker');
    expect(processesWithArgs('sleep', '3607')).toEqual([]);
  });
});
