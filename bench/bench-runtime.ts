import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentRuntime, stringToUuid, type Character } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { pluginDynamic } from '../src/index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../src/service-types.js';

/** A real runtime on PGLite in a temp folder with plugin-dynamic, as an agent would run it. */
export async function startBenchRuntime(settings: Record<string, string> = {}): Promise<{
  runtime: AgentRuntime;
  dataDir: string;
  stop: () => Promise<void>;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'plugin-dynamic-bench-'));
  const character: Character = {
    name: 'BenchAgent',
    bio: ['Measures plugin-dynamic.'],
    settings: {
      PGLITE_DATA_DIR: join(dataDir, 'db'),
      PLUGIN_DYNAMIC_DATA_DIR: join(dataDir, 'plugin-dynamic'),
      ...settings,
    },
  };
  const runtime = new AgentRuntime({ character, agentId: stringToUuid('BenchAgent') });
  await runtime.registerPlugin(sqlPlugin);
  await runtime.runPluginMigrations();
  await runtime.registerPlugin(pluginDynamic);
  await runtime.initialize();
  await runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
  await runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE);
  return {
    runtime,
    dataDir,
    stop: async () => {
      await runtime.getCache('bench:flush');
      await runtime.stop();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

export const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
