import { pluginDynamic } from '../../src/index.js';
import { createTestRuntime, type TestRuntime } from './runtime.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../src/service-types.js';

/**
 * A real runtime with plugin-dynamic on a given data folder (so it can be started again on the
 * same one, as after a restart), its registry served by a fixture server; resolves once
 * plugin_management has started.
 */
export async function startManagementRuntime(dataDir: string, fixtureServerUrl: string): Promise<TestRuntime> {
  const t = await createTestRuntime({
    dataDir,
    plugins: [pluginDynamic],
    settings: { PLUGIN_DYNAMIC_REGISTRY_URL: `${fixtureServerUrl}/registry/generated-registry.json` },
  });
  await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
  return t;
}
