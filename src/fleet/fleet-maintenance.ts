import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { codedError } from '../errors.js';
import { JOB_LOG_LIMIT, type JobRecord } from '../creation/jobs/job-record.js';
import { jobLifecycle, TERMINAL_JOB_STATUSES } from '../creation/jobs/job-status.js';
import { BOSS_SCHEMA, FLEET_SCHEMA } from './fleet-db.js';
import { DEAD_QUEUE, JOB_QUEUES, type CreateJobData } from './fleet-boss.js';
import type { FleetJobs } from './fleet-jobs.js';

/** The first key of the session lock a worker holds on each job it runs. */
export const JOB_LOCK_NAMESPACE = 'plugin-dynamic:job';

/** Takes the job's lock on `client` (a session lock: it goes with the session if the worker dies). */
export async function lockJob(client: pg.PoolClient, id: string): Promise<boolean> {
  const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS got', [JOB_LOCK_NAMESPACE, id]);
  return rows[0]?.got === true;
}

export async function unlockJob(client: pg.PoolClient, id: string): Promise<void> {
  await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [JOB_LOCK_NAMESPACE, id]);
}

/**
 * Jobs whose worker is gone: running in the record, active in pg-boss on the attempt that claimed
 * them, and nobody holds their lock. Each is failed in pg-boss, which starts it again on another
 * worker (or, when its retries are used up, moves it to the dead-letter queue).
 */
export async function releaseOrphans(pool: pg.Pool, boss: PgBoss): Promise<string[]> {
  const { rows } = await pool.query<{ id: string; boss_id: string; queue: string }>(
    `SELECT f.id, f.boss_id, b.name AS queue FROM ${FLEET_SCHEMA}.jobs f JOIN ${BOSS_SCHEMA}.job b ON b.id = f.boss_id AND b.name = ANY($1::text[])
     WHERE b.state = 'active' AND f.record->>'status' = 'running' AND f.attempt = b.retry_count + 1`,
    [[...JOB_QUEUES]],
  );
  const released: string[] = [];
  const client = await pool.connect();
  try {
    for (const row of rows) {
      if (!(await lockJob(client, row.id))) continue;
      await unlockJob(client, row.id);
      await boss.fail(row.queue, row.boss_id, { reason: 'the worker that ran it stopped' });
      released.push(row.id);
    }
  } finally {
    client.release();
  }
  return released;
}

/**
 * A job a worker stops running because it is itself stopping (SIGTERM): its record goes back to
 * `queued` (only while this worker's attempt holds it) and its pg-boss entry from active to retry at
 * once, with one more retry allowed, so a graceful stop costs the job none of its retries.
 */
export async function handBack(pool: pg.Pool, jobs: FleetJobs, held: { id: string; queue: string; bossId: string; worker: string; attempt: number }): Promise<void> {
  const row = await jobs.get(held.id);
  if (!row || TERMINAL_JOB_STATUSES.includes(row.record.status)) return;
  const now = new Date().toISOString();
  const message = `Handed back to the queue: worker ${held.worker} was stopped (its children first); another worker continues it`;
  await jobs.writeClaimed(
    { ...row.record, status: 'queued', phase: undefined, updatedAt: now, log: [...row.record.log, { at: now, message }].slice(-JOB_LOG_LIMIT) },
    held.worker,
    held.attempt,
  );
  await jobs.release(held.id, held.worker, held.attempt);
  await pool.query(
    `UPDATE ${BOSS_SCHEMA}.job SET state = 'retry', retry_limit = retry_limit + 1, start_after = now() WHERE name = $1 AND id = $2 AND state = 'active'`,
    [held.queue, held.bossId],
  );
}

/** A record moved to `failed` with `error`, outside any job store (the job has no running worker). */
function failedRecord(record: JobRecord, error: { code: string; message: string }): JobRecord {
  jobLifecycle.transition(record.status, 'failed', `Job ${record.id}`);
  const now = new Date().toISOString();
  return {
    ...record,
    status: 'failed',
    finishedAt: now,
    updatedAt: now,
    error,
    log: [...record.log, { at: now, message: `Failed: ${error.message}` }].slice(-JOB_LOG_LIMIT),
  };
}

/** Jobs pg-boss gave up on (retries used up): their records end failed with FLEET_RETRIES_EXHAUSTED. */
export async function failExhausted(boss: PgBoss, jobs: FleetJobs): Promise<string[]> {
  const dead = await boss.fetch<CreateJobData>(DEAD_QUEUE, { batchSize: 20 });
  const failed: string[] = [];
  for (const item of dead) {
    const row = await jobs.get(item.data.jobId);
    if (row && !TERMINAL_JOB_STATUSES.includes(row.record.status)) {
      const e = codedError('FLEET_RETRIES_EXHAUSTED', { job: row.record.id, attempts: row.attempt });
      await jobs.write(failedRecord(row.record, { code: e.code, message: e.message }));
      failed.push(row.record.id);
    }
  }
  if (dead.length) await boss.complete(DEAD_QUEUE, dead.map((d) => d.id));
  return failed;
}
