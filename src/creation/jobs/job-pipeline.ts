import { boundedModelCall, createModelGenerator, ModelMeter } from '../generators/model/index.js';
import { templateGenerator } from '../generators/template/index.js';
import { hasLargeModel } from '../capabilities.js';
import { reviewWithModel } from '../pipeline/model-review.js';
import { appendPhases } from '../pipeline/phase-times.js';
import { runPipeline, type IterationResult, type PipelineHooks, type PipelineOutcome } from '../pipeline/run-pipeline.js';
import type { JobDeps, RunningJob } from './job-context.js';
import { ITERATION_DIAGNOSTIC_LIMIT, type JobRecord } from './job-record.js';
import type { JobStore } from './job-store.js';
import { resumableGenerator } from './job-sources.js';
import type { PreparedJob } from './job-setup.js';

/** Runs the generate → build → lint → test → validate loop for a prepared job, reporting into its record. */
export async function runJobPipeline(deps: JobDeps, job: RunningJob, prepared: PreparedJob): Promise<PipelineOutcome> {
  const { runtime, settings } = deps;
  const { queued, spec, signal } = job;
  const { files, toolchain } = prepared;
  const addDependencies = async (dependencies: Record<string, string>, s: AbortSignal): Promise<void> => {
    if (await files.addDependencies(dependencies, s)) await files.restore(toolchain);
  };
  const addPermissions = async (permissions: Parameters<typeof files.addPermissions>[0]): Promise<void> => {
    if (await files.addPermissions(permissions)) await files.restore(toolchain);
  };
  // Each model call is bounded on its own; the meter keeps model time apart from tool time.
  const modelMeter = new ModelMeter();
  const callModel = boundedModelCall(runtime, { timeoutMs: settings.modelCallTimeoutMs, meter: modelMeter });
  const base = queued.generator === 'model' ? createModelGenerator(callModel) : templateGenerator;
  // In the fleet, each accepted answer is kept, and a retry starts from what the last attempt kept.
  const log = async (line: string): Promise<void> => {
    await deps.jobs.update(job.id, () => ({}), line);
  };
  const generator = deps.sources ? resumableGenerator(base, job.id, deps.sources, await deps.sources.load(job.id), log) : base;
  return runPipeline(
    {
      spec,
      workspaceDir: prepared.workspaceDir,
      toolchain,
      generator,
      maxIterations: queued.maxIterations,
      commandTimeoutMs: settings.commandTimeoutMs,
      outputCapBytes: settings.outputCapBytes,
      reviewThreshold: settings.reviewThreshold,
      addDependencies,
      addPermissions,
      restoreConfig: () => files.restore(toolchain),
      prepareShip: (sources, compiler) => files.prepareShip(toolchain, sources, { timeoutMs: settings.commandTimeoutMs, signal, ...(compiler ? { compiler } : {}) }),
      wrap: prepared.wrap,
      ...(prepared.workers ? { workers: prepared.workers } : {}),
      ...(prepared.group ? { resourceGroup: prepared.group } : {}),
      workspaceLimitBytes: settings.workspaceLimitMb * 1024 * 1024,
      signal,
      modelMeter,
      ...(queued.generator === 'model' && hasLargeModel(runtime)
        ? { review: (generated, s, earlier) => reviewWithModel(callModel, spec, generated, s, earlier) }
        : {}),
    },
    jobHooks(deps.jobs, job.id, modelMeter),
  );
}

/** The pipeline's progress, written into the job's record as it happens. */
function jobHooks(jobs: JobStore, id: string, modelMeter: ModelMeter): PipelineHooks {
  return {
    phase: async (phase, iteration) => {
      await jobs.update(id, () => ({ phase, iteration }));
    },
    log: async (line) => {
      await jobs.update(id, () => ({}), line);
    },
    iterationDone: async (result) => {
      await jobs.update(id, (job) => ({
        iterations: [...job.iterations, iterationEntry(result)],
        timing: {
          modelMs: (job.timing?.modelMs ?? 0) + result.modelMs,
          toolMs: (job.timing?.toolMs ?? 0) + result.durationMs - result.modelMs,
          modelCalls: modelMeter.calls,
        },
        ...(result.tests ? { tests: result.tests } : {}),
        phases: appendPhases(job.phases, result.phases),
      }));
    },
  };
}

/** One iteration as the job's record keeps it. */
function iterationEntry(result: IterationResult): JobRecord['iterations'][number] {
  return {
    iteration: result.iteration,
    ...(result.failedAt ? { failedAt: result.failedAt } : {}),
    diagnostics: result.diagnostics.slice(0, ITERATION_DIAGNOSTIC_LIMIT),
    ...(result.tests ? { tests: result.tests } : {}),
    durationMs: result.durationMs,
    modelMs: result.modelMs,
    toolMs: result.durationMs - result.modelMs,
    ...(result.reviewFindings ? { reviewFindings: result.reviewFindings } : {}),
  };
}
