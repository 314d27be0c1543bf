import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Service, type IAgentRuntime } from '@elizaos/core';
import { loadConfig, type PluginDynamicConfig } from '../config.js';
import { codedError, PluginDynamicError } from '../errors.js';
import { PLUGIN_CREATION_SERVICE } from '../service-types.js';
import { HEADLESS_SETTING } from '../shared/agent-lock.js';
import { FleetAgent } from '../fleet/fleet-agent.js';
import type { FleetBuildChoice, FleetBuildEntry } from '../fleet/fleet-builds.js';
import { installFromFleet } from '../fleet/fleet-install.js';
import type { PluginView } from '../management/plugin-view.js';
import { loadFleetSettings } from '../fleet/fleet-settings.js';
import { startupSummary } from '../startup-summary.js';
import {
  creationCapabilities,
  effectiveGenerator,
  probeMachine,
  UNPROBED,
  type CreationCapabilities,
  type GeneratorChoice,
  type MachineProbes,
} from './capabilities.js';
import { boundedModelCall } from './generators/model/index.js';
import { CREATION_LOG_SRC, type JobDeps } from './jobs/job-context.js';
import { JOB_LIST_LIMIT, type JobRecord } from './jobs/job-record.js';
import type { CreationQueue } from './jobs/job-queue.js';
import { JobRunner } from './jobs/job-runner.js';
import { TERMINAL_JOB_STATUSES } from './jobs/job-status.js';
import { JobStore } from './jobs/job-store.js';
import { refuseSilentReplace } from './jobs/replace-guard.js';
import { rerunLine } from './jobs/rerun-line.js';
import { refuseComponentClashes, refuseEmptySpec, sameAsEarlierResult } from './jobs/submission-checks.js';
import { sweepJobFiles } from './pipeline/job-files.js';
import { claimEarlySpares } from './spare/early-spare.js';
import { SparePool, sweepSpareWorkspaces } from './spare/spare-pool.js';
import { describeToSpec, describeWithModel, parsePluginSpec } from './spec/index.js';
import type { PluginSpec } from './spec/plugin-spec.js';

const HOUR_MS = 3_600_000;

export interface CreateOptions {
  /** Who asked (entity id), so "my plugin creation" finds their latest job. */
  requestedBy?: string;
  /** Load the plugin when it succeeds and needs no settings. @default true */
  activate?: boolean;
  /** Overrides the PLUGIN_DYNAMIC_GENERATOR setting for this job. */
  generator?: GeneratorChoice;
  /**
   * Replace a plugin of the same name made by an earlier job; without it such a job is refused.
   * The earlier version stays until the new one is loaded. @default false
   */
  replace?: boolean;
}

/**
 * Creates plugins: a specification (or a sentence turned into one) becomes a job that generates,
 * builds, lints, tests and validates a plugin, then installs and loads it through plugin management.
 */
export class PluginCreationService extends Service {
  static override serviceType = PLUGIN_CREATION_SERVICE;
  override capabilityDescription =
    'Writes new plugins from a specification or a sentence, builds, lints, tests and reviews them, then loads them.';

  readonly settings: PluginDynamicConfig;
  private jobs: JobStore;
  /** The in-process queue, or pg-boss when the agent's database is PostgreSQL (POSTGRES_URL). */
  private runner: CreationQueue;
  private fleet: FleetAgent | undefined;
  /** What the start-up probes found on this machine, for the capabilities provider and doctor. */
  private probes: MachineProbes = UNPROBED;
  private stopping: Promise<void> | undefined;
  /** What the in-process runner's jobs read; its `spares` is set once the warm spare may start. */
  private readonly jobDeps: JobDeps;

  constructor(runtime: IAgentRuntime, config?: PluginDynamicConfig) {
    super(runtime);
    this.settings = config ?? loadConfig((key) => runtime.getSetting(key) ?? process.env[key]);
    this.jobs = new JobStore(runtime);
    this.jobDeps = { runtime, settings: this.settings, jobs: this.jobs };
    this.runner = new JobRunner(this.jobDeps);
  }

  static override async start(runtime: IAgentRuntime): Promise<PluginCreationService> {
    const service = new PluginCreationService(runtime);
    // A spare the CLI started before the runtime is claimed first, so the start-up sweeps keep its files.
    service.jobDeps.spares = await claimEarlySpares(service.settings);
    await service.useFleetOnPostgres();
    await service.restore();
    const caps = service.capabilities();
    await service.startSpares(caps);
    runtime.logger.info(
      { src: 'plugin-dynamic', dataDir: service.settings.dataDir, queue: service.runner.kind },
      startupSummary(caps, service.settings.dataDir, service.settings.isolation, service.queueDescription()),
    );
    if (caps.runtime && !caps.runtime.childrenOk) {
      runtime.logger.error({ src: 'plugin-dynamic', code: 'NODE_UNAVAILABLE' }, `[NODE_UNAVAILABLE] ${caps.runtime.children}`);
    }
    return service;
  }

  /**
   * On PostgreSQL (POSTGRES_URL, as plugin-sql uses it) jobs go to pg-boss in that database and their
   * records to the fleet's job table; on PGLite the in-process queue stays.
   */
  async useFleetOnPostgres(): Promise<void> {
    const fleet = loadFleetSettings((key) => this.runtime.getSetting(key) ?? process.env[key]);
    if (!fleet.postgresUrl || this.fleet) return;
    this.fleet = await FleetAgent.start(this.runtime, this.settings, { ...fleet, postgresUrl: fleet.postgresUrl });
    this.jobs = this.fleet.store;
    this.runner = this.fleet;
  }

  /** Which queue runs this agent's jobs, in words. */
  queueDescription(): string {
    return this.fleet ? this.fleet.describe() : `in-process (${this.settings.maxConcurrentJobs} at once)`;
  }

  /** Loads the jobs; a job that was running when the process stopped is failed or re-queued. */
  async restore(): Promise<void> {
    this.probes = await probeMachine(this.settings);
    const corrupt = await this.jobs.load();
    if (corrupt.count > 0) {
      this.runtime.logger.warn(
        { src: CREATION_LOG_SRC, movedTo: corrupt.movedTo },
        `[STATE_CORRUPT] ${corrupt.count} stored job(s) were unreadable and moved aside.`,
      );
    }
    // The fleet's jobs belong to its workers, which hand back the jobs of a worker that stopped.
    for (const job of this.fleet ? [] : this.jobs.all()) {
      if (job.status === 'running' && this.settings.requeueInterrupted) {
        await this.jobs.update(job.id, () => ({ status: 'queued', phase: undefined }), 'Re-queued after a restart');
        this.runner.enqueue(job.id);
      } else if (job.status === 'running' || job.status === 'queued') {
        const interrupted = codedError('JOB_INTERRUPTED', { reason: 'the process stopped while the job ran' });
        await this.jobs.update(
          job.id,
          () => ({ status: 'failed', error: { code: interrupted.code, message: interrupted.message }, finishedAt: new Date().toISOString() }),
          `Failed: interrupted (workspace kept at ${job.workspaceDir})`,
        );
      }
    }
    await this.cleanup();
    this.fleet?.catchUp();
  }

  // ---- the fleet's stored builds ----

  /** Whether this agent's jobs and builds are in the fleet's PostgreSQL. */
  get fleetInUse(): boolean {
    return this.fleet !== undefined;
  }

  /** Builds stored in the fleet's database whose name or description contains `query`. */
  searchFleet(query: string, limit = 20): Promise<FleetBuildEntry[]> {
    return this.requireFleet().builds.search(query, limit);
  }

  /** Installs a build another agent of the fleet created, like a registry plugin, its sha256 checked. */
  installFromFleet(packageName: string, opts: { activate?: boolean; choice?: FleetBuildChoice; signal?: AbortSignal } = {}): Promise<PluginView> {
    return installFromFleet(this.runtime, this.requireFleet().builds, packageName, {
      dataDir: this.settings.dataDir,
      signal: opts.signal ?? new AbortController().signal,
      activate: opts.activate ?? true,
      ...(opts.choice ? { choice: opts.choice } : {}),
    });
  }

  private requireFleet(): FleetAgent {
    if (!this.fleet) throw codedError('INVALID_INPUT', { input: 'The fleet', problem: 'is not in use here: the agent runs on PGLite; set POSTGRES_URL to join one.' });
    return this.fleet;
  }

  // ---- requests ----

  async createFromSpec(input: unknown, opts: CreateOptions = {}): Promise<JobRecord> {
    const spec = parsePluginSpec(input);
    return this.submit(spec, { kind: 'spec' }, opts);
  }

  async createFromDescription(
    description: string,
    opts: CreateOptions & { signal?: AbortSignal } = {},
  ): Promise<{ job: JobRecord; spec: PluginSpec }> {
    const text = description.trim();
    if (text.length === 0) {
      throw codedError('DESCRIPTION_UNUSABLE', { problem: 'is empty; say what the plugin should do' });
    }
    const spec = await this.describe(text, opts);
    const job = await this.submit(spec, { kind: 'description', description: text.slice(0, 2_000) }, opts);
    return { job, spec };
  }

  /**
   * The specification a sentence becomes, as createFromDescription reads it (the model when the
   * generator is the model, else the offline reader), without starting a job.
   */
  async describe(description: string, opts: { generator?: GeneratorChoice; signal?: AbortSignal } = {}): Promise<PluginSpec> {
    const useModel = effectiveGenerator(this.runtime, opts.generator ?? this.settings.generator) === 'model';
    return useModel
      ? describeWithModel(
          boundedModelCall(this.runtime, { timeoutMs: this.settings.modelCallTimeoutMs }),
          description,
          opts.signal ? { signal: opts.signal } : {},
        )
      : describeToSpec(description);
  }

  getJob(id: string): JobRecord {
    return this.jobs.get(id);
  }

  listJobs(opts: { limit?: number; requestedBy?: string } = {}): JobRecord[] {
    const jobs = this.jobs.all().filter((j) => !opts.requestedBy || j.requestedBy === opts.requestedBy);
    return jobs.slice(0, opts.limit ?? JOB_LIST_LIMIT);
  }

  /** The newest job of this person, or the newest job of anyone. */
  latestJob(requestedBy?: string): JobRecord | undefined {
    return this.listJobs({ limit: 1, ...(requestedBy ? { requestedBy } : {}) })[0] ?? this.listJobs({ limit: 1 })[0];
  }

  async cancel(id: string): Promise<JobRecord> {
    const job = this.jobs.get(id);
    if (TERMINAL_JOB_STATUSES.includes(job.status)) {
      // Not a move of the job table, so not the table's template; the CLI's e2e test reads this wording.
      throw new PluginDynamicError('ILLEGAL_TRANSITION', `Job ${job.id} is ${job.status} already; nothing to cancel.`);
    }
    if (job.status === 'queued' && this.fleet) {
      // In the database, only while no worker has started it; otherwise that worker stops it.
      const cancelled = await this.fleet.cancelQueued(job.id);
      if (cancelled) return cancelled;
    } else if (job.status === 'queued') {
      return this.jobs.update(job.id, () => ({ status: 'cancelled', finishedAt: new Date().toISOString() }), 'Cancelled before it started');
    }
    this.runner.abort(job.id, codedError('JOB_CANCELLED', { when: 'on request' }));
    return this.waitForJob(job.id);
  }

  /** Resolves with the job once it has finished (succeeded, failed or cancelled). */
  waitForJob(id: string, opts: { signal?: AbortSignal } = {}): Promise<JobRecord> {
    const job = this.jobs.get(id);
    if (TERMINAL_JOB_STATUSES.includes(job.status)) return Promise.resolve(job);
    return new Promise((resolve, reject) => {
      const off = this.jobs.onChange((changed) => {
        if (changed.id === job.id && TERMINAL_JOB_STATUSES.includes(changed.status)) {
          off();
          resolve(changed);
        }
      });
      opts.signal?.addEventListener('abort', () => {
        off();
        reject(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('aborted'));
      }, { once: true });
    });
  }

  /** Every change to every job, as it happens (CLI progress, the panel). */
  onJobChange(listener: (job: JobRecord) => void): () => void {
    return this.jobs.onChange(listener);
  }

  capabilities(): CreationCapabilities {
    return creationCapabilities(this.runtime, this.settings, this.probes, this.runner.toolchain);
  }

  /** Removes finished jobs and their workspaces older than the retention period. */
  async cleanup(now = Date.now()): Promise<{ removedJobs: string[] }> {
    const cutoff = now - this.settings.retentionDays * 24 * HOUR_MS;
    const old = this.jobs.all().filter((j) => TERMINAL_JOB_STATUSES.includes(j.status) && Date.parse(j.updatedAt) < cutoff);
    for (const job of old) await rm(job.workspaceDir, { recursive: true, force: true });
    if (old.length) await this.jobs.remove(old.map((j) => j.id));
    // The fleet's other finished jobs (other agents', or removed by none) on the same retention.
    if (this.fleet) await this.fleet.removeFinishedBefore(new Date(cutoff));
    // Workspaces no job refers to any more (e.g. a job record lost with a corrupt store).
    const root = this.workspacesRoot();
    const known = new Set(this.jobs.all().map((j) => j.workspaceDir));
    for (const name of await readdir(root).catch(() => [] as string[])) {
      const dir = join(root, name);
      if (known.has(dir)) continue;
      const info = await stat(dir).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(dir, { recursive: true, force: true });
    }
    await sweepJobFiles(this.settings.dataDir, new Set([...this.runner.activeJobIds(), ...(this.jobDeps.spares?.liveNames() ?? [])]));
    return { removedJobs: old.map((j) => j.id) };
  }

  /**
   * Keeps one warm toolchain ready for the next job (PLUGIN_DYNAMIC_WARM_TOOLCHAIN), only where a
   * job could run now: in-process queue, a sandbox, a Node for the children. Otherwise a spare
   * claimed from the CLI is stopped. The CLI's own runtime keeps only the spare its `create`
   * started early: its other commands (`list`, `jobs`, `status`) start no spare.
   */
  private async startSpares(caps: CreationCapabilities): Promise<void> {
    const canRun = !this.fleet && (caps.sandbox === 'bwrap' || caps.sandbox.startsWith('none')) && (caps.runtime?.childrenOk ?? true);
    // What an earlier process's spares left (it stopped without stopping them) goes, whatever follows.
    await sweepSpareWorkspaces(this.settings.dataDir, this.keptWorkspaces());
    const headless = ['true', true].includes(this.runtime.getSetting(HEADLESS_SETTING) as string | boolean);
    if (headless && !this.jobDeps.spares) return;
    if (!this.settings.warmToolchain || !canRun) {
      await this.jobDeps.spares?.stop();
      delete this.jobDeps.spares;
      return;
    }
    const pool =
      this.jobDeps.spares ??
      new SparePool(this.settings, {
        log: (level, message) => this.runtime.logger[level]({ src: CREATION_LOG_SRC }, message),
      });
    this.jobDeps.spares = pool;
    pool.start();
  }

  /** The warm spare toolchain: undefined when the setting is off or no job could run here. */
  get warmSpares(): SparePool | undefined {
    return this.jobDeps.spares;
  }

  /** Workspaces a job record refers to, and those of the spares alive now. */
  private keptWorkspaces(): Set<string> {
    const live = [...(this.jobDeps.spares?.liveNames() ?? [])].map((name) => join(this.workspacesRoot(), name));
    return new Set([...this.jobs.all().map((j) => j.workspaceDir), ...live]);
  }

  override async stop(): Promise<void> {
    this.stopping ??= (async () => {
      // No spare is started any more, and the waiting one is killed and removed.
      await this.jobDeps.spares?.stop();
      await this.runner.stop(codedError('JOB_INTERRUPTED', { reason: 'the agent is stopping' }));
      await this.jobs.flush();
    })();
    return this.stopping;
  }

  // ---- internals ----

  private workspacesRoot(): string {
    return join(this.settings.dataDir, 'workspaces');
  }

  private async submit(spec: PluginSpec, request: JobRecord['request'], opts: CreateOptions): Promise<JobRecord> {
    const recent = this.jobs.all().filter((j) => Date.parse(j.createdAt) > Date.now() - HOUR_MS);
    if (recent.length >= this.settings.jobsPerHour) {
      throw codedError('JOB_RATE_LIMITED', { count: recent.length, limit: this.settings.jobsPerHour });
    }
    refuseEmptySpec(spec);
    // The same specification again replaces what its own earlier job made (the job's log says so).
    const rerun = opts.replace ? undefined : sameAsEarlierResult(this.runtime, spec, this.jobs.all());
    const replace = opts.replace === true || rerun !== undefined;
    refuseSilentReplace(this.runtime, spec.name, replace);
    // Names matter only to a plugin that will load: one installed without activating clashes with nothing yet.
    if (opts.activate !== false) refuseComponentClashes(this.runtime, spec);
    const generator = effectiveGenerator(this.runtime, opts.generator ?? this.settings.generator);
    this.fleet?.refuseUnrunnable(generator);
    const id = randomUUID();
    const now = new Date().toISOString();
    const job = await this.jobs.add({
      id,
      status: 'queued',
      iteration: 0,
      maxIterations: this.settings.maxIterations,
      progress: 0,
      pluginName: spec.name,
      spec: spec as unknown as Record<string, unknown>,
      request,
      ...(opts.requestedBy ? { requestedBy: opts.requestedBy } : {}),
      generator,
      sandbox: 'pending',
      activate: opts.activate ?? true,
      ...(replace ? { replace: true } : {}),
      workspaceDir: join(this.workspacesRoot(), id),
      log: [
        { at: now, message: `Queued: ${spec.name} (${generator} generator)` },
        ...(rerun ? [{ at: now, message: rerunLine(spec.name, rerun.id) }] : []),
      ],
      iterations: [],
      createdAt: now,
      updatedAt: now,
    });
    this.runtime.logger.info({ src: CREATION_LOG_SRC, jobId: id, plugin: spec.name }, 'Plugin creation job queued.');
    this.runner.enqueue(id);
    return job;
  }
}
