import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import { pluginDataFolder } from '../../../src/management/host/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { HEADLESS_SETTING } from '../../../src/shared/agent-lock.js';
import { approvedStep } from '../../helpers/approval.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

const here = dirname(fileURLToPath(import.meta.url));
const PROBE = join(here, 'fixtures', 'plugin-warm-probe');

/*
 * The CLI's headless runtime (every command that starts one, `list`, `jobs` and `status` among them)
 * keeps no spare host, even with PLUGIN_DYNAMIC_WARM_HOST on: an isolated plugin it activates starts cold.
 */
describe("the CLI's headless runtime", () => {
  let t: TestRuntime;
  let dataDir: string;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-warm-headless-'));
    t = await createTestRuntime({ dataDir, plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_WARM_HOST: 'on', [HEADLESS_SETTING]: 'true' } });
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
  });
  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts no spare host, and activates isolated plugins on cold hosts', async () => {
    const warmRoot = join(dataDir, 'plugin-dynamic', 'warm');
    expect(await management().warmSpare()).toBeUndefined();
    await approvedStep(management(), () => management().install(PROBE, { activate: true }));
    const run = await runAction(t.runtime, 'PROBE', 'whoami');
    expect((run.results[0]?.data?.['result'] as { cwd?: string } | undefined)?.cwd).toBe(pluginDataFolder(join(dataDir, 'plugin-dynamic'), 'plugin-warm-probe'));
    expect(await management().warmSpare()).toBeUndefined();
    expect(existsSync(warmRoot) ? readdirSync(warmRoot) : []).toEqual([]);
  });
});
