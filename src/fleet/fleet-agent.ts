import type { IAgentRuntime } from '@elizaos/core';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { PluginDynamicConfig } from '../config.js';
import { codedError, toPluginDynamicError, type PluginDynamicError } from '../errors.js';
import type { JobBackend } from '../creation/jobs/job-backend.js';
import type { CreationQueue } from '../creation/jobs/job-queue.js';
import { JOB_LOG_LIMIT, type JobRecord } from '../creation/jobs/job-record.js';
import { JobStore } from '../creation/jobs/job-store.js';
import { queueFor, startBoss } from './fleet-boss.js';
import { FleetBuilds } from './fleet-builds.js';
import { describeDatabase, ensureFleetSchema, openFleetPool } from './fleet-db.js';
import { installFromFleet } from './fleet-install.js';
import { FleetJobs, JOB_CHANGED_CHANNEL } from './fleet-jobs.js';
import type { FleetSettings } from './fleet-settings.js';
import { FLEET_LOG_SRC, FleetWorker } from './fleet-worker.js';
import { ServerSlots } from './server-slots.js';

/** The fleet's job records as this agent's job store sees them: its own rows, the hourly limit in the database. */
function agentBackend(jobs: FleetJobs, agentId: string, perHour: number): JobBackend {
  return {
    load: async () => ({ records: await jobs.ofAgent(agentId), corrupt: { count: 0, movedTo: undefined, reasons: [] } }),
    insert: (job) => jobs.insert(agentId, job, perHour),
    write: (job) => jobs.write(job),
    remove: (ids) => jobs.remove(ids),
    flush: () => Promise.resolve(),
  };
}

/** How long a pg-boss job may stay active: the job's deadline and ten minutes for shipping and storing. */
export function expireSeconds(settings: PluginDynamicConfig): number {
  return Math.ceil(settings.jobDeadlineMs / 1000) + 600;
}

/**
 * An agent on PostgreSQL: its creation jobs go to pg-boss in its own database, their records live in
 * the fleet's job table (where workers update them), and it runs `agentWorkers` worker lanes itself
 * (none: submit only). A job of this agent that a worker finished is installed here from the stored
 * build when the request asked to activate it.
 */
export class FleetAgent implements CreationQueue {
  readonly kind = 'pg-boss';
  readonly store: JobStore;
  readonly builds: FleetBuilds;
  private worker: FleetWorker | undefined;
  private workerProblem: string | undefined;
  private listener: pg.PoolClient | undefined;
  private readonly installing = new Set<string>();
  private readonly stopping = new AbortController();

  private constructor(
    private readonly runtime: IAgentRuntime,
    private readonly settings: PluginDynamicConfig,
    private readonly fleet: FleetSettings & { postgresUrl: string },
    private readonly pool: pg.Pool,
    private readonly boss: PgBoss,
    readonly jobs: FleetJobs,
  ) {
    this.store = new JobStore(runtime, agentBackend(jobs, runtime.agentId, settings.jobsPerHour));
    this.builds = new FleetBuilds(pool);
  }

  static async start(runtime: IAgentRuntime, settings: PluginDynamicConfig, fleet: FleetSettings & { postgresUrl: string }): Promise<FleetAgent> {
    const url = fleet.postgresUrl;
    const pool = await openFleetPool(url, fleet.agentWorkers * 2 + 6);
    try {
      await ensureFleetSchema(pool, url);
      const boss = await startBoss({
        url,
        retryLimit: fleet.retryLimit,
        expireInSeconds: expireSeconds(settings),
        retentionDays: settings.retentionDays,
        onError: (error) => runtime.logger.warn({ src: FLEET_LOG_SRC }, `pg-boss: ${error.message}`),
      });
      const agent = new FleetAgent(runtime, settings, fleet, pool, boss, new FleetJobs(pool));
      await agent.listen();
      await agent.startWorker();
      return agent;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  get toolchain(): Record<string, string> | undefined {
    return undefined;
  }

  /** For the start-up line: where the queue lives and who runs its jobs. */
  describe(): string {
    const lanes = this.worker
      ? `${this.fleet.agentWorkers} worker lane(s) here`
      : `no worker here${this.workerProblem ? ` (${this.workerProblem})` : ''}: jobs run on plugin-dynamic worker processes`;
    return `pg-boss on ${describeDatabase(this.fleet.postgresUrl)} (${lanes}; ${this.fleet.serverSlots} builds at once per server, retries ${this.fleet.retryLimit})`;
  }

  /**
   * A job that needs a model runs only on an agent's worker lane (plugin-dynamic worker processes have
   * no model): an agent with none refuses it at once, FLEET_MODEL_REQUIRED, instead of queueing it.
   */
  refuseUnrunnable(generator: string): void {
    if (generator === 'model' && !this.worker) {
      throw codedError('FLEET_MODEL_REQUIRED', { what: 'A job with the model generator' });
    }
  }

  enqueue(id: string): void {
    void (async () => {
      const bossId = await this.boss.send(queueFor(this.store.get(id).generator), { jobId: id });
      if (!bossId) throw codedError('INTERNAL', { what: 'pg-boss', problem: 'did not accept the job.' });
      await this.jobs.setBossId(id, bossId);
    })().catch(async (error: unknown) => {
      const e = toPluginDynamicError(error);
      this.runtime.logger.error({ src: FLEET_LOG_SRC, jobId: id }, `Could not queue job: ${e.message}`);
      await this.store
        .update(id, () => ({ status: 'failed', finishedAt: new Date().toISOString(), error: { code: e.code, message: e.message } }), `Failed: ${e.message}`)
        .catch(() => undefined);
    });
  }

  /**
   * Cancels a job of this agent still queued in the database, there and conditionally (a worker may be
   * claiming it now). Undefined when a worker has started it: stop it with abort, as a running job.
   */
  async cancelQueued(id: string): Promise<JobRecord | undefined> {
    const job = this.store.get(id);
    const now = new Date().toISOString();
    const cancelled: JobRecord = {
      ...job,
      status: 'cancelled',
      finishedAt: now,
      updatedAt: now,
      log: [...job.log, { at: now, message: 'Cancelled before it started' }].slice(-JOB_LOG_LIMIT),
    };
    if (!(await this.jobs.cancelQueued(cancelled))) return undefined;
    this.store.adopt(cancelled);
    return cancelled;
  }

  /** Asks the worker that holds the job to stop it (NOTIFY, and the flag it reads with every write). */
  abort(id: string): void {
    void this.jobs.requestCancel(id).catch((error: unknown) => {
      this.runtime.logger.warn({ src: FLEET_LOG_SRC, jobId: id }, `Cancel not delivered: ${toPluginDynamicError(error).message}`);
    });
  }

  /** Installs what workers stored for this agent's jobs while it was not running. */
  catchUp(): void {
    for (const job of this.store.all()) {
      if (job.status === 'succeeded' && job.result?.pluginStatus === 'stored') void this.installStored(job);
    }
  }

  activeJobIds(): Set<string> {
    return new Set(this.worker?.running() ?? []);
  }

  /** Removes this fleet's finished job rows older than `cutoff`; returns their ids. */
  removeFinishedBefore(cutoff: Date): Promise<string[]> {
    return this.jobs.removeFinishedBefore(cutoff);
  }

  async stop(_reason: PluginDynamicError): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    await this.worker?.stop();
    if (this.listener) {
      await this.listener.query(`UNLISTEN ${JOB_CHANGED_CHANNEL}`).catch(() => undefined);
      this.listener.release();
    }
    await this.boss.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private async startWorker(): Promise<void> {
    if (this.fleet.agentWorkers === 0) return;
    const worker = new FleetWorker({
      runtime: this.runtime,
      settings: this.settings,
      pool: this.pool,
      boss: this.boss,
      concurrency: this.fleet.agentWorkers,
      slots: new ServerSlots(this.pool, this.fleet.host, this.fleet.serverSlots, this.fleet.pollMs),
      pollMs: this.fleet.pollMs,
    });
    try {
      await worker.start();
      this.worker = worker;
    } catch (error) {
      const e = toPluginDynamicError(error);
      this.workerProblem = e.code;
      this.runtime.logger.error({ src: FLEET_LOG_SRC, code: e.code }, `[${e.code}] ${e.message} This agent only submits jobs.`);
    }
  }

  /** Follows workers' writes to this agent's jobs; installs what they stored when asked to. */
  private async listen(): Promise<void> {
    this.listener = await this.pool.connect();
    this.listener.on('notification', (message) => {
      if (message.channel !== JOB_CHANGED_CHANNEL || !message.payload) return;
      void this.refresh(message.payload).catch((error: unknown) => {
        this.runtime.logger.warn({ src: FLEET_LOG_SRC, jobId: message.payload }, `Job refresh failed: ${toPluginDynamicError(error).message}`);
      });
    });
    await this.listener.query(`LISTEN ${JOB_CHANGED_CHANNEL}`);
  }

  private async refresh(id: string): Promise<void> {
    const held = this.store.all().find((j) => j.id === id);
    if (!held) return;
    const row = await this.jobs.get(id);
    if (!row || row.record.updatedAt <= held.updatedAt) return;
    this.store.adopt(row.record);
    if (row.record.status === 'succeeded' && row.record.result?.pluginStatus === 'stored') await this.installStored(row.record);
  }

  private async installStored(job: JobRecord): Promise<void> {
    if (this.installing.has(job.id)) return;
    this.installing.add(job.id);
    try {
      const view = await installFromFleet(this.runtime, this.builds, job.pluginName, {
        dataDir: this.settings.dataDir,
        signal: this.stopping.signal,
        activate: job.activate,
        ...(job.replace ? { replace: true } : {}),
      });
      await this.store.update(
        job.id,
        () => ({ result: { packageName: view.packageName, pluginStatus: view.status, missingSettings: view.missingSettings, installDir: view.installDir } }),
        `Installed here from the fleet database: ${view.packageName} is ${view.status}.`,
      );
    } catch (error) {
      const e = toPluginDynamicError(error);
      await this.store.update(job.id, () => ({}), `Not installed here: [${e.code}] ${e.message}`);
    } finally {
      this.installing.delete(job.id);
    }
  }
}
