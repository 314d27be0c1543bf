import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentRuntime, stringToUuid, type Character } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import type { JobRecord } from '../src/creation/jobs/job-record.js';
import type { PluginCreationService } from '../src/creation/plugin-creation-service.js';
import { openFleetPool } from '../src/fleet/fleet-db.js';
import { ServerSlots } from '../src/fleet/server-slots.js';
import { pluginDynamic } from '../src/index.js';
import { PLUGIN_CREATION_SERVICE } from '../src/service-types.js';
import { startWorkerProcess, type WorkerProcess } from '../test/helpers/fleet-worker-process.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { fmt, startBenchRuntime } from './bench-runtime.js';

/**
 * `npm run bench -- fleet [agents] [workers] [jobs per agent] [slots]`: N agents on one PostgreSQL
 * submit template jobs, M `plugin-dynamic worker` processes run them with `slots` sandboxed builds
 * at once for the machine. Reports jobs per minute against one PGLite agent's in-process queue
 * running the same jobs with the same number at once, and the peak of held build slots (sampled
 * every 100 ms from pg_locks), which must not pass the limit.
 */

const spec = (name: string) => ({
  name,
  description: `Bench plugin ${name}`,
  actions: [{ name: `act_${name.replace(/\W/g, '_')}`, description: 'Does one thing', parameters: { text: 'string' } }],
  providers: [],
});

const arg = (i: number, fallback: number): number => {
  const n = Number(process.argv[3 + i]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

async function startPgAgent(url: string, name: string): Promise<{ runtime: AgentRuntime; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pd-bench-fleet-agent-'));
  const character: Character = {
    name,
    bio: ['Measures the fleet.'],
    settings: { POSTGRES_URL: url, PLUGIN_DYNAMIC_DATA_DIR: dataDir, PLUGIN_DYNAMIC_FLEET_WORKERS: '0', PLUGIN_DYNAMIC_GENERATOR: 'template' },
  };
  const runtime = new AgentRuntime({ character, agentId: stringToUuid(name) });
  await runtime.registerPlugin(sqlPlugin);
  await runtime.runPluginMigrations();
  await runtime.registerPlugin(pluginDynamic);
  await runtime.initialize();
  await runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE);
  return { runtime, dataDir };
}

const perMinute = (jobs: number, ms: number): string => ((jobs * 60_000) / ms).toFixed(2);

async function runAll(creations: PluginCreationService[], perAgent: number, prefix: string): Promise<{ ms: number; ok: number }> {
  const started = Date.now();
  const submitted: Promise<JobRecord>[] = [];
  for (const [i, creation] of creations.entries()) {
    for (let j = 0; j < perAgent; j++) {
      const job = await creation.createFromSpec(spec(`plugin-${prefix}-${i}-${j}`), { activate: false });
      submitted.push(creation.waitForJob(job.id));
    }
  }
  const done = await Promise.all(submitted);
  return { ms: Date.now() - started, ok: done.filter((j) => j.status === 'succeeded').length };
}

export async function benchFleet(): Promise<void> {
  const agents = arg(0, 2);
  const workerCount = arg(1, 2);
  const perAgent = arg(2, 2);
  const slots = arg(3, 2);
  const total = agents * perAgent;
  console.log(`## fleet: ${agents} agent(s) x ${workerCount} worker(s), ${total} template job(s), ${slots} build slot(s) per machine`);

  const cluster = await startPostgres();
  const started: { runtime: AgentRuntime; dataDir: string }[] = [];
  const workers: WorkerProcess[] = [];
  const pool = await openFleetPool(cluster.url, 2);
  let peak = 0;
  const sampler = new ServerSlots(pool, hostname(), slots, 100);
  const sampling = setInterval(() => void sampler.inUse().then((n) => (peak = Math.max(peak, n)), () => undefined), 100);
  try {
    for (let i = 0; i < agents; i++) started.push(await startPgAgent(cluster.url, `FleetBenchAgent${i}`));
    for (let i = 0; i < workerCount; i++) {
      workers.push(await startWorkerProcess(cluster.url, ['--concurrency', String(slots), '--server-slots', String(slots)], { LOG_LEVEL: 'error' }));
    }
    const creations = started.map((a) => a.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!);
    const fleet = await runAll(creations, perAgent, 'fleet');
    console.log(`pg-boss fleet      ${fleet.ok}/${total} succeeded in ${fmt(fleet.ms)}: ${perMinute(total, fleet.ms)} jobs/min; peak builds at once ${peak} (limit ${slots})`);
  } finally {
    clearInterval(sampling);
    await Promise.allSettled(workers.map((w) => w.stop()));
    for (const a of started) {
      await a.runtime.stop().catch(() => undefined);
      await a.runtime.close().catch(() => undefined);
      await rm(a.dataDir, { recursive: true, force: true });
    }
    await pool.end();
    await cluster.stop();
  }

  // The same jobs on one PGLite agent's in-process queue, as many at once as the machine's slots.
  const local = await startBenchRuntime({ PLUGIN_DYNAMIC_GENERATOR: 'template', PLUGIN_DYNAMIC_MAX_CONCURRENT_JOBS: String(slots), PLUGIN_DYNAMIC_JOBS_PER_HOUR: String(total + 10) });
  try {
    const creation = local.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
    const inProcess = await runAll([creation], total, 'local');
    console.log(`in-process queue   ${inProcess.ok}/${total} succeeded in ${fmt(inProcess.ms)}: ${perMinute(total, inProcess.ms)} jobs/min`);
  } finally {
    await local.stop();
  }
}
