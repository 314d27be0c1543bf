import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentRuntime, stringToUuid, type Character } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { pluginDynamic } from '../index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../service-types.js';
import { DB_TEMPLATE_DIR, seedDatabase } from './db-template.js';
import { headlessSettings } from './headless-settings.js';

/** Fixed, so every command on the same data folder opens the same agent record and state. */
const AGENT_NAME = 'plugin-dynamic-cli';

/** The steps of a headless start, in order, as `onPhase` names them (the CLI benchmark prints them). */
export const START_PHASES = ['seed database', 'open database', 'migrations', 'plugin-dynamic init', 'runtime initialize', 'plugin-dynamic services'] as const;
export type StartPhase = (typeof START_PHASES)[number];

/**
 * An agent runtime of the CLI's own: PGLite under the data folder (so installed plugins, settings
 * and jobs persist between commands) and plugin-dynamic registered. A fresh database needs the
 * migrations before initialize() (facts file); on an existing one they are a quick no-op.
 */
export async function startHeadlessRuntime(
  dataDir: string,
  onPhase?: (phase: StartPhase, ms: number) => void,
  /** The database template to seed a fresh folder from; `false` lets PGLite make the database (the CLI benchmark compares both). */
  seedFrom: string | false = DB_TEMPLATE_DIR,
): Promise<AgentRuntime> {
  let mark = performance.now();
  const done = (phase: StartPhase): void => {
    const now = performance.now();
    onPhase?.(phase, now - mark);
    mark = now;
  };
  await mkdir(dataDir, { recursive: true });
  // A data folder's first start copies the migrated template made by the build (no unpacking, no migrations).
  if (seedFrom !== false) await seedDatabase(join(dataDir, 'db'), seedFrom);
  done('seed database');
  const character: Character = {
    name: AGENT_NAME,
    bio: ['Runs plugin-dynamic from the command line.'],
    settings: headlessSettings(dataDir),
  };
  const runtime = new AgentRuntime({ character, agentId: stringToUuid(AGENT_NAME) });
  await runtime.registerPlugin(sqlPlugin);
  done('open database');
  await runtime.runPluginMigrations();
  done('migrations');
  await runtime.registerPlugin(pluginDynamic);
  done('plugin-dynamic init');
  // Taken before initialize() so a service that fails to start rejects here, not unhandled.
  const services = Promise.all([
    runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE),
    runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE),
  ]);
  await runtime.initialize();
  done('runtime initialize');
  await services;
  done('plugin-dynamic services');
  return runtime;
}
