import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import { CREATE_QUEUE, startBoss, type CreateJobData } from '../../../src/fleet/fleet-boss.js';
import { ensureFleetSchema, openFleetPool } from '../../../src/fleet/fleet-db.js';
import { FleetJobs } from '../../../src/fleet/fleet-jobs.js';
import { failExhausted, lockJob, releaseOrphans } from '../../../src/fleet/fleet-maintenance.js';
import { startPostgres, type PrivateCluster } from '../../helpers/postgres.js';

function record(id: string, status: JobRecord['status']): JobRecord {
  const now = new Date().toISOString();
  return {
    id, status, iteration: 1, maxIterations: 3, progress: 10, pluginName: 'plugin-x', spec: { name: 'plugin-x' },
    request: { kind: 'spec' }, generator: 'template', sandbox: 'bwrap', activate: true, workspaceDir: '/nowhere', log: [], iterations: [],
    createdAt: now, updatedAt: now,
  };
}

/**
 * pg-boss and the fleet's job table together, without a creation job: a job whose worker is gone is
 * handed back only when nobody holds its lock; once its retries are used up its record ends failed
 * with FLEET_RETRIES_EXHAUSTED; finished records go on the retention.
 */
describe('the fleet: dead workers, retries and retention', () => {
  let cluster: PrivateCluster;
  let pool: pg.Pool;
  let boss: PgBoss;
  let jobs: FleetJobs;

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = await openFleetPool(cluster.url, 6);
    await ensureFleetSchema(pool, cluster.url);
    boss = await startBoss({ url: cluster.url, retryLimit: 1, expireInSeconds: 3600, retentionDays: 1, onError: () => undefined });
    jobs = new FleetJobs(pool);
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, close: true });
    await pool?.end();
    await cluster?.stop();
  });

  /** A worker takes the job: pg-boss fetch, the job lock on its own session, the claim, the record running. */
  async function take(id: string): Promise<{ client: pg.PoolClient; attempt: number }> {
    const [item] = await boss.fetch<CreateJobData>(CREATE_QUEUE, { batchSize: 1, includeMetadata: true });
    expect(item?.data.jobId).toBe(id);
    const attempt = item!.retryCount + 1;
    const client = await pool.connect();
    expect(await lockJob(client, id)).toBe(true);
    await jobs.claim(id, `worker-${attempt}`, attempt);
    await jobs.writeClaimed(record(id, 'running'), `worker-${attempt}`, attempt);
    return { client, attempt };
  }

  it('hands back a dead worker\'s job once, then fails it with FLEET_RETRIES_EXHAUSTED when the retries are used up', async () => {
    const id = '00000000-0000-4000-8000-0000000000a1';
    await jobs.insert('agent-a', record(id, 'queued'), 10);
    await jobs.setBossId(id, (await boss.send(CREATE_QUEUE, { jobId: id }))!);

    const first = await take(id);
    // Its worker is alive (holds the lock): nothing is handed back.
    expect(await releaseOrphans(pool, boss)).toEqual([]);
    // The worker dies: its session ends, and with it the lock.
    first.client.release(true);
    expect(await releaseOrphans(pool, boss)).toEqual([id]);

    const second = await take(id);
    expect(second.attempt).toBe(2);
    expect(await failExhausted(boss, jobs)).toEqual([]);
    second.client.release(true);
    expect(await releaseOrphans(pool, boss)).toEqual([id]);

    // Retry limit 1: pg-boss moved it to the dead-letter queue; its record ends failed, with the reason.
    expect(await failExhausted(boss, jobs)).toEqual([id]);
    const row = await jobs.get(id);
    expect(row?.record.status).toBe('failed');
    expect(row?.record.error).toEqual({ code: 'FLEET_RETRIES_EXHAUSTED', message: `Job ${id} was started 2 time(s) and every worker stopped before it ended.` });
    expect(await boss.fetch(CREATE_QUEUE)).toEqual([]);
  });

  it('removes finished records past the retention and keeps the rest', async () => {
    const done = '00000000-0000-4000-8000-0000000000b1';
    const waiting = '00000000-0000-4000-8000-0000000000b2';
    await jobs.insert('agent-r', record(done, 'queued'), 10);
    await jobs.insert('agent-r', record(waiting, 'queued'), 10);
    await jobs.write({ ...record(done, 'queued'), status: 'succeeded' });
    await pool.query("UPDATE plugin_dynamic_fleet.jobs SET updated_at = now() - interval '40 days' WHERE id = ANY($1::uuid[])", [[done, waiting]]);
    const removed = await jobs.removeFinishedBefore(new Date(Date.now() - 30 * 24 * 3_600_000));
    expect(removed).toContain(done);
    expect(removed).not.toContain(waiting);
    expect(await jobs.get(done)).toBeUndefined();
    expect((await jobs.get(waiting))?.record.status).toBe('queued');
  });

  it("an agent's cancel of a queued job is conditional: it loses to a worker's claim, and a claim after it sees it", async () => {
    const claimedFirst = '00000000-0000-4000-8000-0000000000c1';
    await jobs.insert('agent-c', record(claimedFirst, 'queued'), 10);
    await jobs.claim(claimedFirst, 'worker-c', 1);
    // A worker holds it (its record still says queued): the agent's write does not land.
    expect(await jobs.cancelQueued(record(claimedFirst, 'cancelled'))).toBe(false);
    expect((await jobs.get(claimedFirst))?.record.status).toBe('queued');
    expect((await jobs.get(claimedFirst))?.cancelRequested).toBe(false);

    const cancelledFirst = '00000000-0000-4000-8000-0000000000c2';
    await jobs.insert('agent-c', record(cancelledFirst, 'queued'), 10);
    expect(await jobs.cancelQueued(record(cancelledFirst, 'cancelled'))).toBe(true);
    // The worker that comes after it reads the cancel with its claim.
    const claimed = await jobs.claim(cancelledFirst, 'worker-c', 1);
    expect(claimed.cancelRequested).toBe(true);
    expect(claimed.record.status).toBe('cancelled');
  });
});
