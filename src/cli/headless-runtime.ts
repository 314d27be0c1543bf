import { mkdir } from 'node:fs/promises';
import { AgentRuntime, stringToUuid, type Character } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { pluginDynamic } from '../index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../service-types.js';
import { headlessSettings } from './headless-settings.js';

/** Fixed, so every command on the same data folder opens the same agent record and state. */
const AGENT_NAME = 'plugin-dynamic-cli';

/**
 * An agent runtime of the CLI's own: PGLite under the data folder (so installed plugins, settings
 * and jobs persist between commands) and plugin-dynamic registered. A fresh database needs the
 * migrations before initialize() (facts file); on an existing one they are a quick no-op.
 */
export async function startHeadlessRuntime(dataDir: string): Promise<AgentRuntime> {
  await mkdir(dataDir, { recursive: true });
  const character: Character = {
    name: AGENT_NAME,
    bio: ['Runs plugin-dynamic from the command line.'],
    settings: headlessSettings(dataDir),
  };
  const runtime = new AgentRuntime({ character, agentId: stringToUuid(AGENT_NAME) });
  await runtime.registerPlugin(sqlPlugin);
  await runtime.runPluginMigrations();
  await runtime.registerPlugin(pluginDynamic);
  // Taken before initialize() so a service that fails to start rejects here, not unhandled.
  const services = Promise.all([
    runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE),
    runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE),
  ]);
  await runtime.initialize();
  await services;
  return runtime;
}
