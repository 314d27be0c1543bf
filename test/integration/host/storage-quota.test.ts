import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import { pluginDataFolder } from '../../../src/management/host/index.js';
import { folderBytes } from '../../../src/management/host/storage-quota.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { waitFor } from './host-processes.js';
import { approvedStep } from '../../helpers/approval.js';

const here = dirname(fileURLToPath(import.meta.url));
const HOARDER = join(here, 'fixtures', 'plugin-hoarder');
const MB = 1024 * 1024;

describe("an isolated plugin's storage quota (2 MB here)", () => {
  let t: TestRuntime;
  let dataDir: string;
  let folder: string;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const hoard = async (text: string) => (await runAction(t.runtime, 'HOARD', text)).results[0]?.data?.['result'] as Record<string, unknown>;
  const agentFile = () => join(dataDir, 'plugin-dynamic', 'agent-own.txt');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-quota-'));
    t = await createTestRuntime({ dataDir, plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_PLUGIN_STORAGE_MB: '2' } });
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
    await approvedStep(management(), () => management().install(HOARDER, { activate: true }));
    folder = pluginDataFolder(join(dataDir, 'plugin-dynamic'), 'plugin-hoarder');
    // The agent's own things, which nothing the plugin does may cost.
    await t.runtime.setCache('agent-own-key', { kept: true });
    writeFileSync(agentFile(), 'the agent keeps this');
  });
  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs isolated, in its own data folder', () => {
    expect(management().get('plugin-hoarder')).toMatchObject({ status: 'active', isolation: 'isolated' });
    expect(existsSync(folder)).toBe(true);
  });

  it('is stopped with a clear error once its data folder passes the quota; its files and the agent\'s stay', async () => {
    const run = await runAction(t.runtime, 'HOARD', 'files 3');
    // The attack ran: three megabytes really landed in its data folder. The quota watches the folder
    // as it is written, so the host may be stopped before its answer comes back: then the action failed.
    const result = run.results[0]?.data?.['result'] as Record<string, unknown> | undefined;
    if (result) expect(result['bytes']).toBe(3 * MB);
    else expect(run.results[0]?.success).not.toBe(true);
    expect(await folderBytes(folder)).toBeGreaterThan(2 * MB);
    await waitFor('the plugin to be stopped', () => management().get('plugin-hoarder').status === 'error');
    const view = management().get('plugin-hoarder');
    expect(view.lastError?.code).toBe('STORAGE_QUOTA_EXCEEDED');
    expect(view.lastError?.message).toContain('over its quota of 2 MB');
    expect(t.runtime.actions.map((a) => a.name)).not.toContain('HOARD');
    expect(await t.runtime.getCache('agent-own-key')).toEqual({ kept: true });
    expect(existsSync(agentFile())).toBe(true);
    expect(readdirSync(folder)).toHaveLength(3);
  });

  it('cannot be activated while over its quota, and can once its data is freed', async () => {
    await expect(management().activate('plugin-hoarder')).rejects.toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED' });
    for (const name of readdirSync(folder)) rmSync(join(folder, name));
    expect((await management().activate('plugin-hoarder')).status).toBe('active');
  });

  it('cannot pass its quota through the agent\'s cache: the write is refused and the plugin stopped', async () => {
    const first = await hoard('cache blob-1 1536');
    expect(first).toEqual({ stored: true });
    // The attack ran: the first value is in the agent's cache, under the plugin's own prefix.
    expect(String(await t.runtime.getCache('plugin-host:plugin-hoarder:blob-1'))).toHaveLength(1536 * 1024);
    // The second write is refused; the plugin is stopped while its call is still in flight.
    const second = await runAction(t.runtime, 'HOARD', 'cache blob-2 1024');
    expect(second.results[0]?.data?.['result']).not.toEqual({ stored: true });
    expect(await t.runtime.getCache('plugin-host:plugin-hoarder:blob-2')).toBeUndefined();
    await waitFor('the plugin to be stopped', () => management().get('plugin-hoarder').status === 'error');
    expect(management().get('plugin-hoarder').lastError?.code).toBe('STORAGE_QUOTA_EXCEEDED');
    expect(await t.runtime.getCache('agent-own-key')).toEqual({ kept: true });
  });
});
