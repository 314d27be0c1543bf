import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { IAgentRuntime } from '@elizaos/core';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { PluginDynamicConfig } from '../config.js';
import { codedError, toPluginDynamicError } from '../errors.js';
import type { JobBackend } from '../creation/jobs/job-backend.js';
import { JobRunner } from '../creation/jobs/job-runner.js';
import type { JobRecord } from '../creation/jobs/job-record.js';
import type { JobSourceStore } from '../creation/jobs/job-sources.js';
import { TERMINAL_JOB_STATUSES } from '../creation/jobs/job-status.js';
import { JobStore } from '../creation/jobs/job-store.js';
import { selectSandbox } from '../shared/sandbox/index.js';
import { CREATE_QUEUE, MODEL_QUEUE, type CreateJobData } from './fleet-boss.js';
import { hasLargeModel } from '../creation/capabilities.js';
import { FleetBuilds } from './fleet-builds.js';
import { FleetJobs, JOB_CANCEL_CHANNEL } from './fleet-jobs.js';
import { failExhausted, handBack, lockJob, releaseOrphans, unlockJob } from './fleet-maintenance.js';
import { storeInFleet } from './fleet-ship.js';
import { ServerSlots } from './server-slots.js';

export const FLEET_LOG_SRC = 'plugin-dynamic:fleet';
const HOUR_MS = 3_600_000;
/** Why a job ends on a worker that is stopping; such an end is handed back, never written. */
const STOPPING = 'the worker is stopping';

function stoppedByWorker(record: JobRecord): boolean {
  return record.status === 'failed' && record.error?.code === 'JOB_INTERRUPTED' && record.error.message.includes(STOPPING);
}

export interface FleetWorkerOptions {
  runtime: IAgentRuntime;
  settings: PluginDynamicConfig;
  pool: pg.Pool;
  boss: PgBoss;
  /** Jobs this worker runs at once. */
  concurrency: number;
  slots: ServerSlots;
  pollMs: number;
  /** A name for the logs and the job records; unique per worker. */
  name?: string;
}

/** Refuses to run generated code without the sandbox: FLEET_SANDBOX_REQUIRED. */
export async function requireSandbox(settings: PluginDynamicConfig): Promise<string> {
  const sandbox = await selectSandbox(settings.sandbox).catch((error: unknown) => {
    throw codedError('FLEET_SANDBOX_REQUIRED', { found: toPluginDynamicError(error).message.replace(/\.$/, '') });
  });
  if (sandbox.kind === 'none') throw codedError('FLEET_SANDBOX_REQUIRED', { found: `PLUGIN_DYNAMIC_SANDBOX is ${settings.sandbox}` });
  return sandbox.kind;
}

/**
 * Runs creation jobs from the fleet's queue: `concurrency` lanes, each of which takes a slot of this
 * machine, fetches one job from pg-boss, locks and claims it, and runs it with the same job runner as
 * the in-process queue; the build is stored in the database. Cancels arrive by NOTIFY (and with every
 * write); a maintenance pass hands back jobs of dead workers and fails those out of retries.
 */
export class FleetWorker {
  readonly name: string;
  private readonly jobs: FleetJobs;
  private readonly store: JobStore;
  private readonly runner: JobRunner;
  private readonly attempts = new Map<string, number>();
  private readonly agents = new Map<string, string>();
  private readonly stopping = new AbortController();
  private readonly lanes: Promise<void>[] = [];
  private listener: pg.PoolClient | undefined;
  private maintenance: NodeJS.Timeout | undefined;
  private lastSweep = 0;

  constructor(private readonly opts: FleetWorkerOptions) {
    this.name = opts.name ?? `${opts.slots.host}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.jobs = new FleetJobs(opts.pool);
    const builds = new FleetBuilds(opts.pool);
    this.store = new JobStore(opts.runtime, this.backend());
    this.runner = new JobRunner(
      { runtime: opts.runtime, settings: opts.settings, jobs: this.store, sources: this.sourceStore() },
      { finish: storeInFleet(builds, (id) => this.agents.get(id) ?? 'unknown') },
    );
  }

  /** Starts the lanes, the cancel listener and maintenance; refuses without a sandbox. */
  async start(): Promise<void> {
    await requireSandbox(this.opts.settings);
    this.listener = await this.opts.pool.connect();
    this.listener.on('notification', (message) => {
      if (message.channel === JOB_CANCEL_CHANNEL && message.payload && this.attempts.has(message.payload)) {
        this.runner.abort(message.payload, codedError('JOB_CANCELLED', { when: 'on request' }));
      }
    });
    await this.listener.query(`LISTEN ${JOB_CANCEL_CHANNEL}`);
    for (let i = 0; i < this.opts.concurrency; i++) this.lanes.push(this.lane());
    this.maintenance = setInterval(() => void this.maintain(), this.opts.pollMs);
  }

  /** The ids of the jobs this worker runs now. */
  running(): string[] {
    return [...this.attempts.keys()];
  }

  /**
   * Stops taking jobs and stops the running ones (their children killed), then hands each back to
   * the queue for another worker: a graceful stop never fails a job.
   */
  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    if (this.maintenance) clearInterval(this.maintenance);
    for (const id of this.attempts.keys()) this.runner.abort(id, codedError('JOB_INTERRUPTED', { reason: STOPPING }));
    await Promise.allSettled(this.lanes);
    if (this.listener) {
      await this.listener.query(`UNLISTEN ${JOB_CANCEL_CHANNEL}`).catch(() => undefined);
      this.listener.release();
    }
  }

  /** One maintenance pass: dead workers' jobs go back to the queue; jobs out of retries end failed. */
  async maintain(): Promise<void> {
    try {
      await releaseOrphans(this.opts.pool, this.opts.boss);
      await failExhausted(this.opts.boss, this.jobs);
      if (Date.now() - this.lastSweep > HOUR_MS) await this.sweepWorkspaces();
    } catch (error) {
      this.opts.runtime.logger.warn({ src: FLEET_LOG_SRC, worker: this.name }, `Fleet maintenance failed: ${toPluginDynamicError(error).message}`);
    }
  }

  /** Workspaces this worker left (jobs end on it, their records live in the database) go on the retention. */
  private async sweepWorkspaces(): Promise<void> {
    this.lastSweep = Date.now();
    const root = join(this.opts.settings.dataDir, 'workspaces');
    const cutoff = Date.now() - this.opts.settings.retentionDays * 24 * HOUR_MS;
    for (const name of await readdir(root).catch(() => [] as string[])) {
      if (this.attempts.has(name)) continue;
      const info = await stat(join(root, name)).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(join(root, name), { recursive: true, force: true });
    }
  }

  /** The job table keeps each running job's accepted sources, written only by the attempt that holds it. */
  private sourceStore(): JobSourceStore {
    return {
      load: (id) => this.jobs.sources(id),
      save: async (id, sources) => {
        const attempt = this.attempts.get(id);
        if (attempt !== undefined) await this.jobs.saveSources(id, sources, this.name, attempt);
      },
    };
  }

  private backend(): JobBackend {
    const write = async (job: { id: string }, record = this.store.get(job.id)): Promise<void> => {
      const attempt = this.attempts.get(job.id);
      if (attempt === undefined) return;
      // The end of a job this stopping worker interrupted is not written: the job is handed back instead.
      if (this.stopping.signal.aborted && stoppedByWorker(record)) return;
      const { cancelRequested } = await this.jobs.writeClaimed(record, this.name, attempt);
      if (cancelRequested && !TERMINAL_JOB_STATUSES.includes(record.status)) {
        this.runner.abort(job.id, codedError('JOB_CANCELLED', { when: 'on request' }));
      }
    };
    return {
      load: () => Promise.resolve({ records: [], corrupt: { count: 0, movedTo: undefined, reasons: [] } }),
      insert: () => Promise.reject(codedError('INTERNAL', { what: 'A fleet worker', problem: 'does not create jobs.' })),
      write: (job) => write(job, job),
      remove: () => Promise.resolve(),
      flush: () => Promise.resolve(),
    };
  }

  /**
   * The queues this worker serves: model-generator jobs only with a language model in its runtime
   * (an agent's lane), template jobs always.
   */
  queues(): string[] {
    return hasLargeModel(this.opts.runtime) ? [MODEL_QUEUE, CREATE_QUEUE] : [CREATE_QUEUE];
  }

  private async fetchNext(): Promise<PgBoss.JobWithMetadata<CreateJobData> | undefined> {
    for (const queue of this.queues()) {
      const [next] = await this.opts.boss.fetch<CreateJobData>(queue, { batchSize: 1, includeMetadata: true });
      if (next) return next;
    }
    return undefined;
  }

  private async lane(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        const slot = await this.opts.slots.acquire(signal);
        if (!slot) return;
        try {
          const next = await this.fetchNext();
          if (next) await this.take(next, slot.client);
        } finally {
          await slot.release();
        }
        if (!signal.aborted) await new Promise((r) => setTimeout(r, this.opts.pollMs));
      } catch (error) {
        this.opts.runtime.logger.error({ src: FLEET_LOG_SRC, worker: this.name }, `Fleet lane failed: ${toPluginDynamicError(error).message}`);
        if (!signal.aborted) await new Promise((r) => setTimeout(r, this.opts.pollMs));
      }
    }
  }

  /** Locks, claims and runs one job; completes it in pg-boss once its record has ended. */
  private async take(item: PgBoss.JobWithMetadata<CreateJobData>, client: pg.PoolClient): Promise<void> {
    const id = item.data.jobId;
    const attempt = item.retryCount + 1;
    const log = this.opts.runtime.logger;
    if (!(await lockJob(client, id))) {
      log.warn({ src: FLEET_LOG_SRC, worker: this.name, jobId: id }, codedError('FLEET_JOB_TAKEN', { job: id, attempt }).message);
      return;
    }
    try {
      const row = await this.jobs.get(id);
      if (!row) {
        // Its record is gone (removed on the retention, or by its agent): nothing to run.
        await this.opts.boss.complete(item.name, item.id);
        return;
      }
      const claimed = await this.jobs.claim(id, this.name, attempt);
      if (claimed.cancelRequested || TERMINAL_JOB_STATUSES.includes(claimed.record.status)) {
        if (!TERMINAL_JOB_STATUSES.includes(claimed.record.status)) {
          this.attempts.set(id, attempt);
          this.store.adopt(claimed.record);
          await this.store.update(id, () => ({ status: 'cancelled', finishedAt: new Date().toISOString() }), 'Cancelled before it started');
        }
        await this.opts.boss.complete(item.name, item.id);
        return;
      }
      this.attempts.set(id, attempt);
      this.agents.set(id, row.agentId);
      this.store.adopt(claimed.record);
      const again = claimed.record.status === 'running';
      await this.store.update(
        id,
        () => (again ? { status: 'queued', phase: undefined } : {}),
        again
          ? `Attempt ${attempt} on worker ${this.name}: the previous worker stopped; starting again from its last accepted sources (or its specification when none were kept)`
          : `Taken by worker ${this.name} (attempt ${attempt})`,
      );
      await this.runner.runNow(id);
      if (this.stopping.signal.aborted && stoppedByWorker(this.store.get(id))) {
        await handBack(this.opts.pool, this.jobs, { id, queue: item.name, bossId: item.id, worker: this.name, attempt });
        log.info({ src: FLEET_LOG_SRC, worker: this.name, jobId: id }, 'Job handed back to the queue: this worker is stopping.');
        return;
      }
      await this.opts.boss.complete(item.name, item.id);
    } catch (error) {
      const e = toPluginDynamicError(error);
      // Taken by a later attempt: that worker owns the job and its pg-boss entry now.
      if (e.code !== 'FLEET_JOB_TAKEN') throw e;
      log.warn({ src: FLEET_LOG_SRC, worker: this.name, jobId: id }, e.message);
    } finally {
      this.attempts.delete(id);
      this.agents.delete(id);
      await this.store.remove([id]);
      await unlockJob(client, id).catch(() => undefined);
    }
  }
}
