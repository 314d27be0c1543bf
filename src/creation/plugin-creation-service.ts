import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelType, Service, type IAgentRuntime } from '@elizaos/core';
import PQueue from 'p-queue';
import { loadConfig, type PluginDynamicConfig } from '../config.js';
import { PluginDynamicError, toPluginDynamicError } from '../errors.js';
import type { PluginManagementService } from '../management/plugin-management-service.js';
import { boundedModelCall, createModelGenerator, ModelMeter, type ModelCall } from './generators/model/index.js';
import { planPlugin, templateGenerator } from './generators/template/index.js';
import type { PluginGenerator } from './generators/generator.js';
import { ITERATION_DIAGNOSTIC_LIMIT, type JobRecord } from './jobs/job-record.js';
import { TERMINAL_JOB_STATUSES } from './jobs/job-status.js';
import { JobStore } from './jobs/job-store.js';
import { diagnosticLine } from './pipeline/feedback.js';
import { reviewWithModel } from './pipeline/model-review.js';
import { runPipeline } from './pipeline/run-pipeline.js';
import { describeToSpec, describeWithModel, parsePluginSpec } from './spec/index.js';
import type { PluginSpec } from './spec/plugin-spec.js';
import { ensureToolchain } from './toolchain/index.js';
import { jobSandboxPolicy } from './job-sandbox.js';
import { bwrapWorks, openResourceGroup, selectSandbox, sweepResourceGroups, type GroupBounds, type ResourceGroup } from '../shared/sandbox/index.js';
import type { ProcessSpec } from '../shared/process-runner.js';
import { JobFiles, sweepJobFiles } from './pipeline/job-files.js';
import { runtimeReport, type RuntimeReport } from '../shared/child-node.js';
import { startupSummary } from '../startup-summary.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../service-types.js';

const LOG_SRC = 'plugin-dynamic:creation';
const HOUR_MS = 3_600_000;

export type GeneratorChoice = 'template' | 'model' | 'auto';

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

export interface CreationCapabilities {
  generator: GeneratorChoice;
  modelAvailable: boolean;
  /** The generator a job started now would use. */
  effectiveGenerator: 'template' | 'model';
  sandbox: string;
  limits: {
    maxIterations: number;
    maxConcurrentJobs: number;
    jobsPerHour: number;
    commandTimeoutMs: number;
    jobDeadlineMs: number;
    modelCallTimeoutMs: number;
    outputCapBytes: number;
    jobMemoryMb: number;
    jobMaxProcesses: number;
    workspaceLimitMb: number;
  };
  /** How memory and process bounds are enforced here ("cgroup-v1"), or why they are not. */
  resourceBounds: string;
  /** The agent's runtime (node or bun) and the Node its child processes run on (absent from older agents). */
  runtime?: RuntimeReport;
  toolchain: Record<string, string> | undefined;
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
  private readonly jobs: JobStore;
  private readonly queue: PQueue;
  private readonly controllers = new Map<string, AbortController>();
  private readonly running = new Set<Promise<unknown>>();
  private toolchainVersions: Record<string, string> | undefined;
  /** What the sandbox setting gives on this machine, for the capabilities provider and doctor. */
  private sandboxStatus = 'not checked yet';
  /** Whether control groups bound each job's memory and processes here. */
  private resourceBoundsStatus = 'not checked yet';
  private runtimeStatus: RuntimeReport | undefined;
  private stopping: Promise<void> | undefined;

  constructor(runtime: IAgentRuntime, config?: PluginDynamicConfig) {
    super(runtime);
    this.settings = config ?? loadConfig((key) => runtime.getSetting(key) ?? process.env[key]);
    this.jobs = new JobStore(runtime);
    this.queue = new PQueue({ concurrency: this.settings.maxConcurrentJobs });
  }

  static override async start(runtime: IAgentRuntime): Promise<PluginCreationService> {
    const service = new PluginCreationService(runtime);
    await service.restore();
    const caps = service.capabilities();
    runtime.logger.info({ src: 'plugin-dynamic', dataDir: service.settings.dataDir }, startupSummary(caps, service.settings.dataDir, service.settings.isolation));
    if (caps.runtime && !caps.runtime.childrenOk) {
      runtime.logger.error({ src: 'plugin-dynamic', code: 'NODE_UNAVAILABLE' }, `[NODE_UNAVAILABLE] ${caps.runtime.children}`);
    }
    return service;
  }

  /** Loads the jobs; a job that was running when the process stopped is failed or re-queued. */
  async restore(): Promise<void> {
    this.sandboxStatus =
      this.settings.sandbox === 'none'
        ? 'none (PLUGIN_DYNAMIC_SANDBOX=none: generated code runs unsandboxed)'
        : (await bwrapWorks())
          ? 'bwrap'
          : 'unavailable (install bubblewrap, or set PLUGIN_DYNAMIC_SANDBOX=none): generated code will not run';
    // Groups left by a process that crashed are emptied first; then one probe says whether they work.
    await sweepResourceGroups();
    const probe = openResourceGroup('probe', this.groupBounds());
    this.resourceBoundsStatus = probe
      ? `${probe.kind}: ${this.settings.jobMemoryMb} MB memory and ${this.settings.jobMaxProcesses} processes per job`
      : 'not enforced: control groups are not writable here (run as root, or with a delegated cgroup, and install cgroup-tools)';
    await probe?.dispose();
    this.runtimeStatus = await runtimeReport();
    const corrupt = await this.jobs.load();
    if (corrupt.count > 0) {
      this.runtime.logger.warn(
        { src: LOG_SRC, movedTo: corrupt.movedTo },
        `[STATE_CORRUPT] ${corrupt.count} stored job(s) were unreadable and moved aside.`,
      );
    }
    for (const job of this.jobs.all()) {
      if (job.status === 'running' && this.settings.requeueInterrupted) {
        await this.jobs.update(job.id, () => ({ status: 'queued', phase: undefined }), 'Re-queued after a restart');
        this.enqueue(job.id);
      } else if (job.status === 'running' || job.status === 'queued') {
        const interrupted = new PluginDynamicError('JOB_INTERRUPTED', 'interrupted: the process stopped while the job ran.');
        await this.jobs.update(
          job.id,
          () => ({ status: 'failed', error: { code: interrupted.code, message: interrupted.message }, finishedAt: new Date().toISOString() }),
          `Failed: interrupted (workspace kept at ${job.workspaceDir})`,
        );
      }
    }
    await this.cleanup();
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
      throw new PluginDynamicError('DESCRIPTION_UNUSABLE', 'The description is empty; say what the plugin should do.');
    }
    const useModel = this.effectiveGenerator(opts.generator) === 'model';
    const spec = useModel
      ? await describeWithModel(
          boundedModelCall(this.runtime, { timeoutMs: this.settings.modelCallTimeoutMs }),
          text,
          opts.signal ? { signal: opts.signal } : {},
        )
      : describeToSpec(text);
    const job = await this.submit(spec, { kind: 'description', description: text.slice(0, 2_000) }, opts);
    return { job, spec };
  }

  getJob(id: string): JobRecord {
    return this.jobs.get(id);
  }

  listJobs(opts: { limit?: number; requestedBy?: string } = {}): JobRecord[] {
    const jobs = this.jobs.all().filter((j) => !opts.requestedBy || j.requestedBy === opts.requestedBy);
    return jobs.slice(0, opts.limit ?? 50);
  }

  /** The newest job of this person, or the newest job of anyone. */
  latestJob(requestedBy?: string): JobRecord | undefined {
    return this.listJobs({ limit: 1, ...(requestedBy ? { requestedBy } : {}) })[0] ?? this.listJobs({ limit: 1 })[0];
  }

  async cancel(id: string): Promise<JobRecord> {
    const job = this.jobs.get(id);
    if (TERMINAL_JOB_STATUSES.includes(job.status)) {
      throw new PluginDynamicError('ILLEGAL_TRANSITION', `Job ${job.id} is ${job.status} already; nothing to cancel.`);
    }
    if (job.status === 'queued') {
      return this.jobs.update(job.id, () => ({ status: 'cancelled', finishedAt: new Date().toISOString() }), 'Cancelled before it started');
    }
    this.controllers.get(job.id)?.abort(new PluginDynamicError('JOB_CANCELLED', 'The job was cancelled on request.'));
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
    return {
      generator: this.settings.generator,
      modelAvailable: this.hasModel(),
      effectiveGenerator: this.effectiveGenerator(),
      sandbox: this.sandboxStatus,
      limits: {
        maxIterations: this.settings.maxIterations,
        maxConcurrentJobs: this.settings.maxConcurrentJobs,
        jobsPerHour: this.settings.jobsPerHour,
        commandTimeoutMs: this.settings.commandTimeoutMs,
        jobDeadlineMs: this.settings.jobDeadlineMs,
        modelCallTimeoutMs: this.settings.modelCallTimeoutMs,
        outputCapBytes: this.settings.outputCapBytes,
        jobMemoryMb: this.settings.jobMemoryMb,
        jobMaxProcesses: this.settings.jobMaxProcesses,
        workspaceLimitMb: this.settings.workspaceLimitMb,
      },
      resourceBounds: this.resourceBoundsStatus,
      ...(this.runtimeStatus ? { runtime: this.runtimeStatus } : {}),
      toolchain: this.toolchainVersions,
    };
  }

  /** Removes finished jobs and their workspaces older than the retention period. */
  async cleanup(now = Date.now()): Promise<{ removedJobs: string[] }> {
    const cutoff = now - this.settings.retentionDays * 24 * HOUR_MS;
    const old = this.jobs.all().filter((j) => TERMINAL_JOB_STATUSES.includes(j.status) && Date.parse(j.updatedAt) < cutoff);
    for (const job of old) await rm(job.workspaceDir, { recursive: true, force: true });
    if (old.length) await this.jobs.remove(old.map((j) => j.id));
    // Workspaces no job refers to any more (e.g. a job record lost with a corrupt store).
    const root = this.workspacesRoot();
    const known = new Set(this.jobs.all().map((j) => j.workspaceDir));
    for (const name of await readdir(root).catch(() => [] as string[])) {
      const dir = join(root, name);
      if (known.has(dir)) continue;
      const info = await stat(dir).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(dir, { recursive: true, force: true });
    }
    await sweepJobFiles(this.settings.dataDir, new Set(this.controllers.keys()));
    return { removedJobs: old.map((j) => j.id) };
  }

  override async stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.queue.pause();
      this.queue.clear();
      for (const controller of this.controllers.values()) {
        controller.abort(new PluginDynamicError('JOB_INTERRUPTED', 'interrupted: the agent is stopping.'));
      }
      await Promise.allSettled([...this.running]);
      await this.jobs.flush();
    })();
    return this.stopping;
  }

  // ---- internals ----

  private hasModel(): boolean {
    return this.runtime.getModel(ModelType.TEXT_LARGE) !== undefined;
  }

  private effectiveGenerator(choice: GeneratorChoice = this.settings.generator): 'template' | 'model' {
    if (choice === 'auto') return this.hasModel() ? 'model' : 'template';
    if (choice === 'model' && !this.hasModel()) {
      throw new PluginDynamicError('MODEL_UNAVAILABLE', 'The model generator was asked for, but no TEXT_LARGE model is registered.');
    }
    return choice;
  }

  /**
   * A job never replaces an installed plugin silently: only a plugin an earlier job made, and only
   * when the request says to replace it.
   */
  private refuseSilentReplace(packageName: string, replace: boolean): void {
    const previous = this.runtime
      .getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)
      ?.list()
      .find((p) => p.packageName === packageName);
    if (!previous) return;
    if (previous.trust !== 'generated') {
      throw new PluginDynamicError(
        'ALREADY_INSTALLED',
        `${packageName} is installed already and was not made by a creation job; pick another name or uninstall it first.`,
      );
    }
    if (!replace) {
      throw new PluginDynamicError(
        'ALREADY_INSTALLED',
        `${packageName}@${previous.version} was made by an earlier job; ask again with replace to replace it (it stays until the new one loads), or pick another name.`,
      );
    }
  }

  private workspacesRoot(): string {
    return join(this.settings.dataDir, 'workspaces');
  }

  private async submit(spec: PluginSpec, request: JobRecord['request'], opts: CreateOptions): Promise<JobRecord> {
    const recent = this.jobs.all().filter((j) => Date.parse(j.createdAt) > Date.now() - HOUR_MS);
    if (recent.length >= this.settings.jobsPerHour) {
      throw new PluginDynamicError(
        'JOB_RATE_LIMITED',
        `${recent.length} plugin creations started in the last hour (limit ${this.settings.jobsPerHour}). Try again later.`,
      );
    }
    this.refuseSilentReplace(spec.name, opts.replace === true);
    const generator = this.effectiveGenerator(opts.generator);
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
      ...(opts.replace ? { replace: true } : {}),
      workspaceDir: join(this.workspacesRoot(), id),
      log: [{ at: now, message: `Queued: ${spec.name} (${generator} generator)` }],
      iterations: [],
      createdAt: now,
      updatedAt: now,
    });
    this.runtime.logger.info({ src: LOG_SRC, jobId: id, plugin: spec.name }, 'Plugin creation job queued.');
    this.enqueue(id);
    return job;
  }

  private enqueue(id: string): void {
    const task = this.queue.add(() => this.run(id)).catch((error: unknown) => {
      this.runtime.logger.error({ src: LOG_SRC, jobId: id }, `Job runner failed: ${toPluginDynamicError(error).message}`);
    });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  private async run(id: string): Promise<void> {
    const queued = this.jobs.get(id);
    if (queued.status !== 'queued') return; // cancelled while waiting
    const controller = new AbortController();
    this.controllers.set(id, controller);
    const deadline = setTimeout(
      () => controller.abort(new PluginDynamicError('JOB_TIMEOUT', `The job ran past its ${Math.round(this.settings.jobDeadlineMs / 1000)} s deadline.`)),
      this.settings.jobDeadlineMs,
    );
    const signal = controller.signal;
    const spec = queued.spec as unknown as PluginSpec;
    let group: ResourceGroup | undefined;
    let jobFiles: JobFiles | undefined;
    try {
      await this.jobs.update(id, () => ({ status: 'running', startedAt: new Date().toISOString() }), 'Started');
      const workspaceDir = queued.workspaceDir;
      // Generated code runs only inside the sandbox: it sees the system and the toolchain read-only,
      // its own workspace read-write, no network, no host environment, nothing of other jobs.
      const sandbox = await selectSandbox(this.settings.sandbox);
      jobFiles = new JobFiles({
        dataDir: this.settings.dataDir,
        jobId: id,
        workspaceDir,
        spec,
        installTimeoutMs: this.settings.installTimeoutMs,
        outputCapBytes: this.settings.outputCapBytes,
        ...(sandbox.kind === 'none' ? {} : { sandbox }),
      });
      const files = jobFiles;
      await files.scaffold();
      if (Object.keys(spec.dependencies).length > 0) {
        await this.jobs.update(id, () => ({}), `Installing dependencies: ${Object.keys(spec.dependencies).join(', ')}`);
        await files.installDependencies(signal);
      }
      const toolchain = await ensureToolchain(this.settings.dataDir, { signal });
      this.toolchainVersions = toolchain.versions;
      await files.restore(toolchain);
      const policy = jobSandboxPolicy({
        dataDir: this.settings.dataDir,
        workspaceDir,
        commandTimeoutMs: this.settings.commandTimeoutMs,
        dependencyDir: files.dependencyDir,
        configFiles: files.configBinds(),
      });
      // Memory and process counts are bounded for the job as a whole, by a control group per job.
      group = sandbox.kind === 'none' ? undefined : openResourceGroup(`job-${id}`, this.groupBounds());
      const jobGroup = group;
      const wrap = (spec: ProcessSpec): ProcessSpec => {
        const sandboxed = sandbox.wrap(spec, policy);
        return jobGroup ? jobGroup.wrap(sandboxed) : sandboxed;
      };
      const bounds = jobGroup
        ? `${jobGroup.kind}: ${this.settings.jobMemoryMb} MB memory, ${this.settings.jobMaxProcesses} processes`
        : 'memory and process counts not bounded (no control group)';
      const described = `${sandbox.kind} (${bounds}; workspace ${this.settings.workspaceLimitMb} MB; CPU ${policy.limits.cpuSeconds} s and files ${policy.limits.fileBytes / 1024 / 1024} MB per process)`;
      await this.jobs.update(id, () => ({ sandbox: sandbox.kind === 'none' ? 'none' : described }), `Sandbox: ${described}`);
      const addDependencies = async (deps: Record<string, string>, s: AbortSignal): Promise<void> => {
        if (await files.addDependencies(deps, s)) await files.restore(toolchain);
      };

      // Each model call is bounded on its own; the meter keeps model time apart from tool time.
      const modelMeter = new ModelMeter();
      const callModel = boundedModelCall(this.runtime, { timeoutMs: this.settings.modelCallTimeoutMs, meter: modelMeter });
      const generator = this.generatorFor(queued.generator, callModel);
      const outcome = await runPipeline(
        {
          spec,
          workspaceDir,
          toolchain,
          generator,
          maxIterations: queued.maxIterations,
          commandTimeoutMs: this.settings.commandTimeoutMs,
          outputCapBytes: this.settings.outputCapBytes,
          reviewThreshold: this.settings.reviewThreshold,
          addDependencies,
          restoreConfig: () => files.restore(toolchain),
          wrap,
          ...(jobGroup ? { resourceGroup: jobGroup } : {}),
          workspaceLimitBytes: this.settings.workspaceLimitMb * 1024 * 1024,
          signal,
          modelMeter,
          ...(queued.generator === 'model' && this.hasModel()
            ? { review: (files, s) => reviewWithModel(callModel, spec, files, s) }
            : {}),
        },
        {
          phase: async (phase, iteration) => {
            await this.jobs.update(id, () => ({ phase, iteration }));
          },
          log: async (line) => {
            await this.jobs.update(id, () => ({}), line);
          },
          iterationDone: async (result) => {
            await this.jobs.update(id, (job) => ({
              iterations: [
                ...job.iterations,
                {
                  iteration: result.iteration,
                  ...(result.failedAt ? { failedAt: result.failedAt } : {}),
                  diagnostics: result.diagnostics.slice(0, ITERATION_DIAGNOSTIC_LIMIT),
                  ...(result.tests ? { tests: result.tests } : {}),
                  durationMs: result.durationMs,
                  modelMs: result.modelMs,
                  toolMs: result.durationMs - result.modelMs,
                  ...(result.reviewFindings ? { reviewFindings: result.reviewFindings } : {}),
                },
              ],
              timing: {
                modelMs: (job.timing?.modelMs ?? 0) + result.modelMs,
                toolMs: (job.timing?.toolMs ?? 0) + result.durationMs - result.modelMs,
                modelCalls: modelMeter.calls,
              },
              ...(result.tests ? { tests: result.tests } : {}),
            }));
          },
        },
      );
      // The tools are done: whatever they left running goes now, before the job reports anything.
      await group?.dispose();
      if (outcome.validation) {
        const v = outcome.validation;
        await this.jobs.update(id, () => ({
          validation: {
            ok: v.ok,
            ...(v.score === undefined ? {} : { score: v.score }),
            findings: v.findings.map((f) => ({ tool: 'validate', file: f.file, line: f.line, code: f.rule, message: f.message })),
            missing: v.missing,
            untested: v.untested,
            ...(v.review ? { review: v.review } : {}),
          },
        }));
      }
      if (!outcome.ok) {
        const last = outcome.lastFeedback;
        const detail = last ? `; last failure at ${last.gate}: ${last.diagnostics.slice(0, 3).map(diagnosticLine).join(' | ')}` : '';
        throw new PluginDynamicError(
          'GENERATION_FAILED',
          `The plugin did not pass after ${outcome.iterations} iteration(s)${detail}`,
        );
      }

      // What is installed is built now, from the accepted sources, after every untrusted step.
      const shipped = await files.ship(toolchain, outcome.sources, { timeoutMs: this.settings.commandTimeoutMs, signal });
      await this.jobs.update(id, () => ({ shipped: { sha256: shipped.sha256, files: shipped.files } }), `Shipped build: ${shipped.files} file(s), sha256 ${shipped.sha256}`);
      await this.jobs.update(id, () => ({ phase: 'install' }), 'Installing and loading the plugin');
      const management = this.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
      if (!management) throw new PluginDynamicError('INTERNAL', `The ${PLUGIN_MANAGEMENT_SERVICE} service is not running.`);
      const replace = queued.replace === true;
      this.refuseSilentReplace(spec.name, replace);
      const previous = management.list().find((p) => p.packageName === spec.name);
      if (previous) {
        await this.jobs.update(id, () => ({}), `Replacing ${previous.packageName}@${previous.version} made by an earlier job once the new one loads`);
      }
      const view = await management.install(
        { kind: 'folder', path: shipped.dir },
        {
          signal,
          activate: queued.activate,
          trust: 'generated',
          recordSource: { kind: 'generated', jobId: id },
          allowedRoots: [join(this.settings.dataDir, 'shipped')],
          shippedHash: shipped.sha256,
          replace,
        },
      );
      const needs = view.missingSettings.length ? ` It needs ${view.missingSettings.join(', ')} before it can load.` : '';
      const plan = queued.generator === 'template' ? planPlugin(spec) : undefined;
      if (plan?.unusedDependencies.length) {
        await this.jobs.update(id, () => ({}), `Declared but unused by the template: ${plan.unusedDependencies.join(', ')}`);
      }
      await this.jobs.update(
        id,
        () => ({
          status: 'succeeded',
          finishedAt: new Date().toISOString(),
          result: {
            packageName: view.packageName,
            pluginStatus: view.status,
            missingSettings: view.missingSettings,
            installDir: view.installDir,
            ...(plan ? { components: plan.components, unusedDependencies: plan.unusedDependencies } : {}),
          },
        }),
        `Succeeded in iteration ${outcome.iterations}: ${view.packageName} is ${view.status}.${needs}`,
      );
    } catch (error) {
      await group?.dispose();
      const reason: unknown = signal.aborted ? signal.reason : error;
      const e = toPluginDynamicError(reason);
      const status = e.code === 'JOB_CANCELLED' ? 'cancelled' : 'failed';
      await this.jobs.update(
        id,
        () => ({ status, finishedAt: new Date().toISOString(), error: { code: e.code, message: e.message } }),
        `${status === 'cancelled' ? 'Cancelled' : 'Failed'}: ${e.message}`,
      );
      this.runtime.logger.warn({ src: LOG_SRC, jobId: id, code: e.code }, e.message);
    } finally {
      clearTimeout(deadline);
      this.controllers.delete(id);
      await jobFiles?.dispose();
      // Nothing the job started survives it: whatever is left in its group is killed.
      await group?.dispose();
    }
  }

  private groupBounds(): GroupBounds {
    return { memoryBytes: this.settings.jobMemoryMb * 1024 * 1024, maxProcesses: this.settings.jobMaxProcesses };
  }

  private generatorFor(kind: 'template' | 'model', callModel: ModelCall): PluginGenerator {
    return kind === 'model' ? createModelGenerator(callModel) : templateGenerator;
  }
}
