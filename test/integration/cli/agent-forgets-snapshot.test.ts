import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readClosedSnapshot, writeClosedSnapshot } from '../../../src/cli/fast/closed-snapshot.js';
import { pluginDynamic } from '../../../src/index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/*
 * The CLI reads its closed snapshot only while no runtime has opened the database since. An agent
 * may be pointed at the CLI's own database: when it takes the data folder, the snapshot goes, and
 * the next headless read starts the runtime instead of showing what the CLI last wrote.
 */
describe('an agent taking a data folder', () => {
  let t: TestRuntime | undefined;
  afterAll(async () => {
    await t?.cleanup();
  });

  it('removes the CLI snapshot there before its services change anything', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pd-agent-snapshot-'));
    const agentDir = join(root, 'plugin-dynamic');
    await writeClosedSnapshot(agentDir, { inherited: {}, plugins: [], jobs: [] });
    expect(await readClosedSnapshot(agentDir)).toBeDefined();
    t = await createTestRuntime({ dataDir: root, plugins: [pluginDynamic] });
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
    await t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE);
    expect(existsSync(join(agentDir, 'agent.lock'))).toBe(true);
    expect(existsSync(join(agentDir, 'cli-state', 'closed.json'))).toBe(false);
  });
});
