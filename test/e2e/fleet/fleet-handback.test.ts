import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { BOSS_SCHEMA, FLEET_SCHEMA, openFleetPool } from '../../../src/fleet/fleet-db.js';
import { FleetJobs } from '../../../src/fleet/fleet-jobs.js';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { startWorkerProcess, type WorkerProcess } from '../../helpers/fleet-worker-process.js';
import { startPostgres, type PrivateCluster } from '../../helpers/postgres.js';
import { settledProcessesIn } from '../../helpers/processes.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/**
 * A worker stopped gracefully (SIGTERM) in the middle of a job: it stops the job's children, then
 * hands the job back to the queue (queued, not failed, no retry spent) and another worker finishes it.
 */

function until<T>(check: () => Promise<T | undefined>, what: string, limitMs = 240_000): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async (): Promise<void> => {
      const value = await check().catch(() => undefined);
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > limitMs) return reject(new Error(`gave up waiting for ${what}`));
      setTimeout(() => void tick(), 100);
    };
    void tick();
  });
}

describe('a worker stopped with SIGTERM', () => {
  let cluster: PrivateCluster;
  let pool: pg.Pool;
  let agent: TestRuntime;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    cluster = await startPostgres();
    agent = await createTestRuntime({
      agentName: 'FleetHandBackAgent',
      plugins: [pluginDynamic],
      settings: { POSTGRES_URL: cluster.url, PLUGIN_DYNAMIC_FLEET_WORKERS: '0', PLUGIN_DYNAMIC_GENERATOR: 'template' },
    });
    pool = await openFleetPool(cluster.url, 2);
  });

  afterAll(async () => {
    await Promise.allSettled(workers.map((w) => w.stop()));
    await agent?.cleanup();
    await pool?.end();
    await cluster?.stop();
  });

  it('stops its job\'s children, hands the job back to the queue, and another worker finishes it', async () => {
    const creation = (await agent.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)) as unknown as PluginCreationService;
    const first = await startWorkerProcess(cluster.url);
    workers.push(first);
    const job = await creation.createFromSpec({
      name: 'plugin-fleet-handback',
      description: 'Notes kept across a worker restart',
      actions: [{ name: 'save_note', description: 'Save a note', parameters: { text: 'string' } }],
      providers: [],
    });
    const jobs = new FleetJobs(pool);
    await until(async () => {
      const row = await jobs.get(job.id);
      const kept = await jobs.sources(job.id);
      return row?.record.status === 'running' && row.record.phase && kept ? row : undefined;
    }, 'the worker to start the job and keep its first accepted sources');

    const exited = new Promise<number | null>((r) => first.child.once('exit', (code) => r(code)));
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(first.stderr.join('')).toContain('running jobs are stopped and handed back to the queue');
    // Its children were stopped before it exited.
    expect(await settledProcessesIn(first.dataDir, 1_000)).toEqual([]);

    const handedBack = (await jobs.get(job.id))!;
    expect(handedBack.record.status).toBe('queued');
    expect(handedBack.record.error).toBeUndefined();
    expect(handedBack.record.log.at(-1)?.message).toMatch(/^Handed back to the queue: worker \S+ was stopped/);
    const boss = await pool.query<{ state: string; retry_count: number; retry_limit: number }>(
      `SELECT b.state, b.retry_count, b.retry_limit FROM ${BOSS_SCHEMA}.job b JOIN ${FLEET_SCHEMA}.jobs f ON f.boss_id = b.id WHERE f.id = $1`,
      [job.id],
    );
    // Back in the queue at once, and with one more retry allowed: a graceful stop spends none.
    expect(boss.rows[0]).toMatchObject({ state: 'retry', retry_limit: 3 });

    workers.push(await startWorkerProcess(cluster.url));
    const done = await creation.waitForJob(job.id);
    expect(done.status, done.error?.message).toBe('succeeded');
    const log = done.log.map((l) => l.message).join('\n');
    expect(log).toMatch(/Taken by worker .+ \(attempt 2\)/);
    // The second attempt started from the sources the first one kept, not from the specification.
    expect(log).toMatch(/Taken by worker .+ \(attempt 2\)[\s\S]*Resumed from the accepted sources of iteration 1 \(\d+ file\(s\)\) kept by an earlier attempt/);
    expect((await jobs.sources(job.id))?.iteration).toBe(2);
    expect(log).not.toMatch(/^Failed:/m);
    // The agent installs the build (and the test ends only then, so its cleanup interrupts nothing).
    const management = agent.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
    await until(async () => management.list().find((p) => p.packageName === 'plugin-fleet-handback' && p.status === 'active'), 'the agent to install the build');
  });
});
