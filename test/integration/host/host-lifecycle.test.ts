import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { waitFor } from './host-processes.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, 'fixtures', 'plugin-crash-on-start');
const NAME = 'plugin-crash-on-start';
const KEY = 'crash-fixture-secret-0b7e';
const PHANTOM = join(here, 'fixtures', 'plugin-phantom-import');

describe('an isolated plugin across its lifecycle', () => {
  let t: TestRuntime;
  let dataDir: string;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const calls = async () => (await runAction(t.runtime, 'COUNT_CALLS', 'count')).results[0]?.data?.['calls'];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-host-lifecycle-'));
    t = await createTestRuntime({
      dataDir,
      plugins: [pluginDynamic],
      settings: { PLUGIN_DYNAMIC_HOST_RESTART_DELAY_MS: '100', PLUGIN_DYNAMIC_HOST_MAX_RESTARTS: '2' },
    });
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
    await management().install(FIXTURE);
    await management().configure(NAME, { CRASH_FIXTURE_KEY: KEY });
    await approvedStep(management(), () => management().activate(NAME));
  });

  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps an isolated plugin's settings out of the runtime's global settings", () => {
    expect(management().get(NAME)).toMatchObject({ isolation: 'isolated', status: 'active', missingSettings: [] });
    expect(t.runtime.getSetting('CRASH_FIXTURE_KEY')).toBeNull();
    expect(JSON.stringify((t.runtime as unknown as { settings?: unknown }).settings ?? {})).not.toContain(KEY);
  });

  it('finds a package the plugin imports without declaring it, as it would in-process', async () => {
    const view = await approvedStep(management(), () => management().install(PHANTOM, { activate: true }));
    expect(view).toMatchObject({ isolation: 'isolated', status: 'active' });
    const parsed = (await runAction(t.runtime, 'PARSE_WITH_ZOD', 'parse')).results[0];
    expect(parsed?.success).toBe(true);
    expect(parsed?.data?.['parsed']).toBe(42);
    expect(parsed?.data?.['pid']).not.toBe(process.pid);
    await management().uninstall('plugin-phantom-import');
  });

  it('gets a fresh module on every activation', async () => {
    expect(await calls()).toBe(1);
    expect(await calls()).toBe(2);
    await management().deactivate(NAME);
    await management().activate(NAME);
    expect(await calls()).toBe(1);
    await management().unload(NAME);
    await management().activate(NAME);
    expect(await calls()).toBe(1);
  });

  it('a host that keeps dying is restarted with backoff up to the limit, then left in error', async () => {
    const crash = await runAction(t.runtime, 'CRASH_FOREVER', 'crash');
    expect(crash.results[0]?.success).toBe(false);
    await waitFor('the restarts to give up', () => /stays in error/.test(management().get(NAME).lastError?.message ?? ''));
    const view = management().get(NAME);
    expect(view.status).toBe('error');
    expect(view.lastError?.code).toBe('HOST_DIED');
    expect(view.lastError?.message).toContain('told to crash on every start');
    expect(t.runtime.actions.some((a) => a.name === 'COUNT_CALLS')).toBe(false);
    expect(t.runtime.plugins.some((p) => p.name === NAME)).toBe(false);
  });
});
