import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentRuntime, stringToUuid, type Character } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { loadConfig } from '../config.js';
import { startBoss } from './fleet-boss.js';
import { describeDatabase, ensureFleetSchema, openFleetPool } from './fleet-db.js';
import { expireSeconds } from './fleet-agent.js';
import { loadFleetSettings } from './fleet-settings.js';
import { FleetWorker, requireSandbox } from './fleet-worker.js';
import { ServerSlots } from './server-slots.js';

export interface WorkerProcessOptions {
  postgresUrl: string;
  dataDir: string;
  concurrency: number;
  /** Overrides PLUGIN_DYNAMIC_FLEET_SERVER_SLOTS. */
  serverSlots?: number;
  signal: AbortSignal;
  /** One line per event for the terminal. */
  say: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * `plugin-dynamic worker`: checks the sandbox, connects to the fleet's database, and runs creation jobs
 * until `signal` ends it. The runtime it builds with is a plain agent runtime on PGLite in the data
 * folder (for the model and the logs); the jobs' records and builds go to PostgreSQL.
 */
export async function runWorkerProcess(opts: WorkerProcessOptions): Promise<void> {
  const env = opts.env ?? process.env;
  const get = (key: string): string | undefined => (key === 'POSTGRES_URL' ? opts.postgresUrl : env[key]);
  const settings = loadConfig((key) => (key === 'PLUGIN_DYNAMIC_DATA_DIR' ? opts.dataDir : env[key]));
  const fleet = loadFleetSettings(get);
  const sandbox = await requireSandbox(settings);
  const pool = await openFleetPool(opts.postgresUrl, opts.concurrency * 2 + 6);
  let runtime: AgentRuntime | undefined;
  let worker: FleetWorker | undefined;
  try {
    await ensureFleetSchema(pool, opts.postgresUrl);
    const boss = await startBoss({
      url: opts.postgresUrl,
      retryLimit: fleet.retryLimit,
      expireInSeconds: expireSeconds(settings),
      retentionDays: settings.retentionDays,
      onError: (error) => opts.say(`pg-boss: ${error.message}`),
    });
    try {
      await mkdir(opts.dataDir, { recursive: true });
      const character: Character = {
        name: 'plugin-dynamic-worker',
        bio: ['Runs plugin-dynamic creation jobs from a shared queue.'],
        settings: { PGLITE_DATA_DIR: join(opts.dataDir, 'worker-db'), PLUGIN_DYNAMIC_DATA_DIR: opts.dataDir },
      };
      runtime = new AgentRuntime({ character, agentId: stringToUuid('plugin-dynamic-worker') });
      await runtime.registerPlugin(sqlPlugin);
      await runtime.runPluginMigrations();
      await runtime.initialize();
      const slots = new ServerSlots(pool, fleet.host, opts.serverSlots ?? fleet.serverSlots, fleet.pollMs);
      worker = new FleetWorker({ runtime, settings, pool, boss, concurrency: opts.concurrency, slots, pollMs: fleet.pollMs });
      await worker.start();
      opts.say(
        `plugin-dynamic worker ${worker.name}: queue pg-boss on ${describeDatabase(opts.postgresUrl)}; ${opts.concurrency} job(s) at once here, ` +
          `${slots.limit} per server (${slots.host}); sandbox ${sandbox}; data folder ${opts.dataDir}; ` +
          'template jobs only: it has no language model, so model-generator jobs are left to agents with worker lanes',
      );
      await new Promise<void>((resolve) => {
        if (opts.signal.aborted) resolve();
        opts.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      opts.say('plugin-dynamic worker stopping: running jobs are stopped and handed back to the queue.');
    } finally {
      await worker?.stop();
      await boss.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
    }
  } finally {
    await runtime?.stop().catch(() => undefined);
    await runtime?.close?.().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
}
