import { join } from 'node:path';
import { codedError } from '../../errors.js';
import type { PluginManagementService } from '../../management/plugin-management-service.js';
import type { PluginView } from '../../management/plugin-view.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';
import { planPlugin } from '../generators/template/index.js';
import { diagnosticLine } from '../pipeline/feedback.js';
import { appendPhases, PhaseClock } from '../pipeline/phase-times.js';
import type { PipelineOutcome } from '../pipeline/run-pipeline.js';
import { packShipped } from '../pipeline/ship-tarball.js';
import type { JobDeps, RunningJob } from './job-context.js';
import type { PreparedJob } from './job-setup.js';
import { refuseSilentReplace } from './replace-guard.js';

/**
 * The last step of a job that passed: ship its build and install it here (the in-process queue,
 * shipAndInstall), or ship it and store it in the fleet's database (a pg-boss worker).
 */
export type FinishStep = (deps: JobDeps, job: RunningJob, prepared: PreparedJob, outcome: PipelineOutcome) => Promise<void>;

/** Keeps the last validation report (static checks and review) in the job's record. */
export async function recordValidation(deps: JobDeps, id: string, outcome: PipelineOutcome): Promise<void> {
  const v = outcome.validation;
  if (!v) return;
  await deps.jobs.update(id, () => ({
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

/** Throws GENERATION_FAILED, naming the last failing gate, when the pipeline did not pass. */
export function requirePassed(outcome: PipelineOutcome): void {
  if (outcome.ok) return;
  const last = outcome.lastFeedback;
  const detail = last ? `; last failure at ${last.gate}: ${last.diagnostics.slice(0, 3).map(diagnosticLine).join(' | ')}` : '';
  throw codedError('GENERATION_FAILED', { iterations: outcome.iterations, detail });
}

/**
 * Builds what is installed from the accepted sources, after every untrusted step, installs and
 * loads it through plugin management, and marks the job succeeded.
 */
export async function shipAndInstall(deps: JobDeps, job: RunningJob, prepared: PreparedJob, outcome: PipelineOutcome): Promise<void> {
  const { jobs, settings } = deps;
  const clock = new PhaseClock(0);
  const started = performance.now();
  const shipped = await prepared.files.ship(prepared.toolchain, outcome.sources, { timeoutMs: settings.commandTimeoutMs, signal: job.signal });
  // A reused build was made beside the last iteration's gates: what is left here is only the wait for it.
  clock.add('shipped-build', performance.now() - started, shipped.reused ? 'started when the checks passed, reused' : undefined);
  const reused = shipped.reused ? ` (reused: ${shipped.reused})` : '';
  await jobs.update(job.id, () => ({ shipped: { sha256: shipped.sha256, files: shipped.files } }), `Shipped build: ${shipped.files} file(s) compiled by the ${shipped.compiler === 'tsc' ? 'host tsc' : 'warm scanner'}, sha256 ${shipped.sha256}${reused}`);
  await jobs.update(job.id, () => ({ phase: 'install' }), 'Installing and loading the plugin');
  const view = await installShipped(deps, job, shipped, clock);
  await markSucceeded(deps, job, view, outcome.iterations, clock);
}

async function installShipped(deps: JobDeps, job: RunningJob, shipped: { dir: string; sha256: string }, clock: PhaseClock): Promise<PluginView> {
  const { runtime, jobs, settings } = deps;
  const { id, queued, spec, signal } = job;
  const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
  if (!management) throw codedError('INTERNAL', { what: `The ${PLUGIN_MANAGEMENT_SERVICE} service`, problem: 'is not running.' });
  const replace = queued.replace === true;
  refuseSilentReplace(runtime, spec.name, replace);
  const previous = management.list().find((p) => p.packageName === spec.name);
  if (previous) {
    await jobs.update(id, () => ({}), `Replacing ${previous.packageName}@${previous.version} made by an earlier job once the new one loads`);
  }
  // A first install is timed apart from its load; a replace installs and loads in one transaction.
  const loadApart = queued.activate && !previous;
  const installing = clock.time('install', async () => management.install(
    { kind: 'tarball', path: await packShipped(shipped.dir, spec) },
    {
      signal,
      activate: queued.activate && !loadApart,
      trust: 'generated',
      recordSource: { kind: 'generated', jobId: id },
      allowedRoots: [join(settings.dataDir, 'shipped')],
      shippedHash: shipped.sha256,
      replace,
    },
  )).then((view) => (loadApart && view.status === 'installed' ? clock.time('load', () => management.activate(view.packageName, { signal })) : view));
  // A failed job leaves nothing installed: a first install that failed to load is taken out again
  // (a replace keeps the earlier version, as the replace transaction does).
  return previous ? installing : installing.catch((error: unknown) => removeFailedInstall(management, spec.name, error));
}

async function removeFailedInstall(management: PluginManagementService, packageName: string, error: unknown): Promise<never> {
  if (management.list().some((p) => p.packageName === packageName)) {
    await management.uninstall(packageName).catch(() => undefined);
  }
  throw error;
}

async function markSucceeded(deps: JobDeps, job: RunningJob, view: PluginView, iterations: number, clock: PhaseClock): Promise<void> {
  const { jobs } = deps;
  const needs = view.missingSettings.length ? ` It needs ${view.missingSettings.join(', ')} before it can load.` : '';
  const plan = job.queued.generator === 'template' ? planPlugin(job.spec) : undefined;
  if (plan?.unusedDependencies.length) {
    await jobs.update(job.id, () => ({}), `Declared but unused by the template: ${plan.unusedDependencies.join(', ')}`);
  }
  await jobs.update(
    job.id,
    (record) => ({
      phases: appendPhases(record.phases, clock.list()),
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
    `Succeeded in iteration ${iterations}: ${view.packageName} is ${view.status}.${needs}`,
  );
}
