import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AgentRuntime, stringToUuid, type Character } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { pluginDynamic } from '../index.js';

/**
 * An agent runtime of the CLI's own: PGLite under the data folder (so installed plugins and jobs
 * persist between commands), plugin-dynamic registered, settings from the environment.
 */
export async function startHeadlessRuntime(dataDir: string): Promise<AgentRuntime> {
  const root = resolve(dataDir);
  await mkdir(root, { recursive: true });
  const settings: Record<string, string> = { PGLITE_DATA_DIR: join(root, 'db'), PLUGIN_DYNAMIC_DATA_DIR: root };
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('PLUGIN_DYNAMIC_') && key !== 'PLUGIN_DYNAMIC_DATA_DIR' && value) settings[key] = value;
  }
  const character: Character = { name: 'plugin-dynamic-cli', bio: ['Runs plugin-dynamic from the command line.'], settings };
  const runtime = new AgentRuntime({ character, agentId: stringToUuid('plugin-dynamic-cli') });
  await runtime.registerPlugin(sqlPlugin);
  await runtime.runPluginMigrations();
  await runtime.registerPlugin(pluginDynamic);
  await runtime.initialize();
  await runtime.getServiceLoadPromise('plugin_management');
  await runtime.getServiceLoadPromise('plugin_creation');
  return runtime;
}
