import PQueue from 'p-queue';
import { codedError, type PluginDynamicError, toPluginDynamicError } from '../../errors.js';
import type { PluginSpec } from '../spec/plugin-spec.js';
import { CREATION_LOG_SRC, type JobDeps, type RunningJob } from './job-context.js';
import type { CreationQueue } from './job-queue.js';
import { recordValidation, requirePassed, shipAndInstall, type FinishStep } from './job-finish.js';
import { runJobPipeline } from './job-pipeline.js';
import { prepareJob, type JobResources } from './job-setup.js';

/**
 * Runs queued jobs, at most maxConcurrentJobs at once: each under its own deadline and cancel
 * signal, from workspace to pipeline to the installed plugin, releasing what it held however it ends.
 */
export class JobRunner implements CreationQueue {
  readonly kind = 'in-process';
  private readonly deps: JobDeps;
  private readonly queue: PQueue;
  private readonly controllers = new Map<string, AbortController>();
  private readonly running = new Set<Promise<unknown>>();
  private toolchainVersions: Record<string, string> | undefined;
  private readonly finish: FinishStep;

  /** `finish` is the last step of a job that passed; by default it ships and installs here. */
  constructor(deps: JobDeps, opts: { finish?: FinishStep } = {}) {
    this.deps = deps;
    this.finish = opts.finish ?? shipAndInstall;
    this.queue = new PQueue({ concurrency: deps.settings.maxConcurrentJobs });
  }

  /** The shared toolchain's versions, once a job has prepared it. */
  get toolchain(): Record<string, string> | undefined {
    return this.toolchainVersions;
  }

  /** The ids of the jobs running now. */
  activeJobIds(): Set<string> {
    return new Set(this.controllers.keys());
  }

  enqueue(id: string): void {
    const task = this.queue.add(() => this.run(id)).catch((error: unknown) => {
      this.deps.runtime.logger.error({ src: CREATION_LOG_SRC, jobId: id }, `Job runner failed: ${toPluginDynamicError(error).message}`);
    });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /**
   * Runs one queued job now, outside this runner's queue: a fleet worker's lane calls it once it holds
   * a slot and the job. Resolves when the job has ended, however it ended.
   */
  runNow(id: string): Promise<void> {
    return this.run(id);
  }

  /** Stops a running job with `reason`; a job not running is left alone. */
  abort(id: string, reason: PluginDynamicError): void {
    this.controllers.get(id)?.abort(reason);
  }

  /** Starts nothing more, stops every running job with `reason` and waits until they have ended. */
  async stop(reason: PluginDynamicError): Promise<void> {
    this.queue.pause();
    this.queue.clear();
    for (const controller of this.controllers.values()) controller.abort(reason);
    await Promise.allSettled([...this.running]);
  }

  private async run(id: string): Promise<void> {
    const queued = this.deps.jobs.get(id);
    if (queued.status !== 'queued') return; // cancelled while waiting
    const controller = new AbortController();
    this.controllers.set(id, controller);
    const deadlineMs = this.deps.settings.jobDeadlineMs;
    const deadline = setTimeout(
      () => controller.abort(codedError('JOB_TIMEOUT', { seconds: Math.round(deadlineMs / 1000) })),
      deadlineMs,
    );
    const job: RunningJob = { id, queued, spec: queued.spec as unknown as PluginSpec, signal: controller.signal };
    const held: JobResources = {};
    try {
      await this.execute(job, held);
    } catch (error) {
      await held.group?.dispose();
      await this.fail(job, error);
    } finally {
      clearTimeout(deadline);
      this.controllers.delete(id);
      await held.files?.dispose();
      // Nothing the job started survives it: whatever is left in its group is killed.
      await held.group?.dispose();
    }
  }

  private async execute(job: RunningJob, held: JobResources): Promise<void> {
    await this.deps.jobs.update(job.id, () => ({ status: 'running', startedAt: new Date().toISOString() }), 'Started');
    const prepared = await prepareJob(this.deps, job, held, (versions) => {
      this.toolchainVersions = versions;
    });
    const outcome = await runJobPipeline(this.deps, job, prepared);
    // The tools are done: whatever they left running goes now, before the job reports anything.
    await prepared.group?.dispose();
    await recordValidation(this.deps, job.id, outcome);
    requirePassed(outcome);
    await this.finish(this.deps, job, prepared, outcome);
  }

  /** Ends the job cancelled (on request) or failed, with the reason its signal carries if it was stopped. */
  private async fail(job: RunningJob, error: unknown): Promise<void> {
    const reason: unknown = job.signal.aborted ? job.signal.reason : error;
    const e = toPluginDynamicError(reason);
    const status = e.code === 'JOB_CANCELLED' ? 'cancelled' : 'failed';
    await this.deps.jobs.update(
      job.id,
      () => ({ status, finishedAt: new Date().toISOString(), error: { code: e.code, message: e.message } }),
      `${status === 'cancelled' ? 'Cancelled' : 'Failed'}: ${e.message}`,
    );
    this.deps.runtime.logger.warn({ src: CREATION_LOG_SRC, jobId: job.id, code: e.code }, e.message);
  }
}
