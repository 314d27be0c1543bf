import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { startEarlySpare, stopUnclaimedSpares } from '../../../src/creation/spare/early-spare.js';
import { pluginDynamic } from '../../../src/index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { HEADLESS_SETTING } from '../../../src/shared/agent-lock.js';
import { processAlive } from '../../../src/shared/process-alive.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/**
 * The CLI's own runtime (marked headless): it keeps the spare its `create` started before the
 * runtime, and starts none of its own (its `list`, `jobs` and `status` must not pay for one).
 */
describe('the warm spare in the CLI runtime', () => {
  let t: TestRuntime | undefined;
  let dataDir: string;
  afterAll(async () => {
    await t?.cleanup();
    await stopUnclaimedSpares();
    await rm(dataDir, { recursive: true, force: true });
  });

  const spareDirs = (dataDir: string): string[] => readdirSync(join(dataDir, 'workspaces')).filter((n) => n.startsWith('spare-'));

  it("takes over the spare create started before the runtime, and stops it with the service", async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-spare-cli-'));
    const pluginData = join(dataDir, 'plugin-dynamic');
    const settings = { PLUGIN_DYNAMIC_DATA_DIR: pluginData, PLUGIN_DYNAMIC_WARM_TOOLCHAIN: 'on', [HEADLESS_SETTING]: 'true' };
    await startEarlySpare(loadConfig((key) => settings[key as keyof typeof settings]), { replace: false });
    t = await createTestRuntime({ dataDir, plugins: [pluginDynamic], settings });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
    const creation = t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
    const pool = creation.warmSpares;
    expect(pool).toBeDefined();
    await pool?.started();
    const waiting = pool?.waitingSpare();
    expect(waiting?.pids.check).toBeGreaterThan(0);
    // The start-up sweeps left the early spare's files alone.
    expect(existsSync(waiting?.workspaceDir ?? '/nonexistent')).toBe(true);
    expect(existsSync(join(pluginData, 'job-config', `spare-${waiting?.id}`))).toBe(true);
    await creation.stop();
    await vi.waitFor(() => expect(processAlive(waiting!.pids.check!)).toBe(false), { timeout: 10_000 });
    expect(spareDirs(pluginData)).toEqual([]);
  }, 120_000);

  it('starts no spare of its own when create started none (list, jobs, status), and removes what a dead one left', async () => {
    await t?.cleanup({ keepData: true, restartable: true });
    const pluginData = join(dataDir, 'plugin-dynamic');
    // What a process killed with its spare waiting leaves behind.
    await mkdir(join(pluginData, 'workspaces', 'spare-left-by-a-crash', 'src'), { recursive: true });
    t = await createTestRuntime({ dataDir, plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_DATA_DIR: pluginData, PLUGIN_DYNAMIC_WARM_TOOLCHAIN: 'on', [HEADLESS_SETTING]: 'true' } });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
    const creation = t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
    expect(creation.warmSpares).toBeUndefined();
    expect(spareDirs(pluginData)).toEqual([]);
  }, 60_000);
});
