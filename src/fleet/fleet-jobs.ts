import type pg from 'pg';
import { codedError } from '../errors.js';
import { JobRecordSchema, type JobRecord } from '../creation/jobs/job-record.js';
import { parseStoredSources, StoredSourcesSchema, type StoredSources } from '../creation/jobs/job-sources.js';
import { TERMINAL_JOB_STATUSES } from '../creation/jobs/job-status.js';
import { FLEET_SCHEMA } from './fleet-db.js';

/** NOTIFY channels: a job record changed (payload: its id); a job is to be cancelled (payload: its id). */
export const JOB_CHANGED_CHANNEL = 'plugin_dynamic_job_changed';
export const JOB_CANCEL_CHANNEL = 'plugin_dynamic_job_cancel';

const T = `${FLEET_SCHEMA}.jobs`;
const TERMINAL = TERMINAL_JOB_STATUSES.map((s) => `'${s}'`).join(', ');

function parse(row: { record: unknown }): JobRecord {
  return JobRecordSchema.parse(row.record);
}

/**
 * The fleet's job records: one row per job, the same record the in-process queue keeps (JobRecord),
 * with who submitted it, which worker holds it on which attempt, and whether a cancel was asked for.
 * Every write notifies JOB_CHANGED_CHANNEL so the submitting agent sees a worker's progress.
 */
export class FleetJobs {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Adds a new job unless its agent has reached `perHour` jobs in the last hour. Checked and
   * inserted under the agent's transaction lock, so agents in several processes count together.
   */
  async insert(agentId: string, job: JobRecord, perHour: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('plugin-dynamic:rate'), hashtext($1))", [agentId]);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${T} WHERE agent_id = $1 AND created_at > now() - interval '1 hour'`,
        [agentId],
      );
      const count = rows[0]?.n ?? 0;
      if (count >= perHour) throw codedError('JOB_RATE_LIMITED', { count, limit: perHour });
      await client.query(`INSERT INTO ${T} (id, agent_id, record) VALUES ($1, $2, $3)`, [job.id, agentId, job]);
      await client.query('SELECT pg_notify($1, $2)', [JOB_CHANGED_CHANNEL, job.id]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async setBossId(id: string, bossId: string): Promise<void> {
    await this.pool.query(`UPDATE ${T} SET boss_id = $2 WHERE id = $1`, [id, bossId]);
  }

  async ofAgent(agentId: string): Promise<JobRecord[]> {
    const { rows } = await this.pool.query<{ record: unknown }>(`SELECT record FROM ${T} WHERE agent_id = $1 ORDER BY created_at DESC`, [agentId]);
    return rows.flatMap((row) => {
      const parsed = JobRecordSchema.safeParse(row.record);
      return parsed.success ? [parsed.data] : [];
    });
  }

  async get(id: string): Promise<{ record: JobRecord; agentId: string; cancelRequested: boolean; attempt: number } | undefined> {
    const { rows } = await this.pool.query<{ record: unknown; agent_id: string; cancel_requested: boolean; attempt: number }>(
      `SELECT record, agent_id, cancel_requested, attempt FROM ${T} WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { record: parse(row), agentId: row.agent_id, cancelRequested: row.cancel_requested, attempt: row.attempt } : undefined;
  }

  /**
   * Takes a job for `worker` on `attempt`: only a later attempt than the row's may take it, so of two
   * workers racing for one attempt one wins and the other gets FLEET_JOB_TAKEN.
   */
  async claim(id: string, worker: string, attempt: number): Promise<{ record: JobRecord; cancelRequested: boolean }> {
    const { rows } = await this.pool.query<{ record: unknown; cancel_requested: boolean }>(
      `UPDATE ${T} SET worker = $2, attempt = $3, updated_at = now() WHERE id = $1 AND attempt < $3 RETURNING record, cancel_requested`,
      [id, worker, attempt],
    );
    const row = rows[0];
    if (!row) throw codedError('FLEET_JOB_TAKEN', { job: id, attempt });
    return { record: parse(row), cancelRequested: row.cancel_requested };
  }

  /** A claimed job's new record, written only while this worker's attempt still holds it. */
  async writeClaimed(job: JobRecord, worker: string, attempt: number): Promise<{ cancelRequested: boolean }> {
    const { rows } = await this.pool.query<{ cancel_requested: boolean }>(
      `WITH u AS (UPDATE ${T} SET record = $2, updated_at = now() WHERE id = $1 AND worker = $3 AND attempt = $4 RETURNING id, cancel_requested)
       SELECT cancel_requested, pg_notify($5, id::text) FROM u`,
      [job.id, job, worker, attempt, JOB_CHANGED_CHANNEL],
    );
    const row = rows[0];
    if (!row) throw codedError('FLEET_JOB_TAKEN', { job: job.id, attempt });
    return { cancelRequested: row.cancel_requested };
  }

  /** The accepted sources an earlier attempt kept, parsed as the untrusted output they are. */
  async sources(id: string): Promise<StoredSources | undefined> {
    const { rows } = await this.pool.query<{ sources: unknown }>(`SELECT sources FROM ${T} WHERE id = $1`, [id]);
    return rows[0]?.sources ? parseStoredSources(rows[0].sources) : undefined;
  }

  /** Keeps a claimed job's accepted sources, only while this worker's attempt still holds it. */
  async saveSources(id: string, sources: StoredSources, worker: string, attempt: number): Promise<void> {
    const { rowCount } = await this.pool.query(`UPDATE ${T} SET sources = $2 WHERE id = $1 AND worker = $3 AND attempt = $4`, [
      id,
      StoredSourcesSchema.parse(sources),
      worker,
      attempt,
    ]);
    if (!rowCount) throw codedError('FLEET_JOB_TAKEN', { job: id, attempt });
  }

  /** The submitting agent's own write (a cancel before any worker took it, the install that follows). */
  async write(job: JobRecord): Promise<void> {
    await this.pool.query(
      `WITH u AS (UPDATE ${T} SET record = $2, updated_at = now() WHERE id = $1 RETURNING id) SELECT pg_notify($3, id::text) FROM u`,
      [job.id, job, JOB_CHANGED_CHANNEL],
    );
  }

  /**
   * Cancels a job no worker holds: written only while its stored record is `queued` and no worker has
   * claimed it, in one statement with the cancel flag, so of this and a worker's claim (which reads the
   * flag) one comes first. False otherwise (a worker holds it): cancel it with requestCancel.
   */
  async cancelQueued(job: JobRecord): Promise<boolean> {
    const { rows } = await this.pool.query(
      `WITH u AS (UPDATE ${T} SET record = $2, cancel_requested = true, updated_at = now() WHERE id = $1 AND record->>'status' = 'queued' AND worker IS NULL RETURNING id)
       SELECT pg_notify($3, id::text), pg_notify($4, id::text) FROM u`,
      [job.id, job, JOB_CHANGED_CHANNEL, JOB_CANCEL_CHANNEL],
    );
    return rows.length > 0;
  }

  /** A job handed back by `worker` on `attempt` is held by no one until the next claim. */
  async release(id: string, worker: string, attempt: number): Promise<void> {
    await this.pool.query(`UPDATE ${T} SET worker = NULL WHERE id = $1 AND worker = $2 AND attempt = $3`, [id, worker, attempt]);
  }

  /** Marks the job for cancelling and tells every worker; the one that holds it stops it. */
  async requestCancel(id: string): Promise<void> {
    await this.pool.query(`UPDATE ${T} SET cancel_requested = true WHERE id = $1`, [id]);
    await this.pool.query('SELECT pg_notify($1, $2)', [JOB_CANCEL_CHANNEL, id]);
  }

  /** Finished jobs last changed before `cutoff`, removed; their ids are returned. */
  async removeFinishedBefore(cutoff: Date): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `DELETE FROM ${T} WHERE record->>'status' IN (${TERMINAL}) AND updated_at < $1 RETURNING id`,
      [cutoff],
    );
    return rows.map((r) => r.id);
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length) await this.pool.query(`DELETE FROM ${T} WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
