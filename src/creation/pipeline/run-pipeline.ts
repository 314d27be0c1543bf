import { isPluginDynamicError, PluginDynamicError } from '../../errors.js';
import type { ProcessSpec } from '../../shared/process-runner.js';
import type { ResourceGroup } from '../../shared/sandbox/index.js';
import { contractTestFiles, restoreContractTests } from '../contract-tests/index.js';
import type { GeneratedFile, GenerationResult, PluginGenerator } from '../generators/generator.js';
import type { JobPhase } from '../jobs/job-status.js';
import type { PluginSpec } from '../spec/plugin-spec.js';
import { CheckWorker, runBuild, runLint, runTests, type Diagnostic, type StepContext, type StepResult } from '../steps/index.js';
import type { Toolchain } from '../toolchain/index.js';
import { validatePlugin, validationProblems, type ValidationReport } from '../validate/validate-plugin.js';
import { ScanWorker } from '../validate/scan-worker.js';
import { AcceptedSources } from '../workspace/index.js';
import { feedbackFor, type IterationFeedback } from './feedback.js';
import { generatorDefect } from './generator-defect.js';
import type { ModelReview } from './model-review.js';
import { PhaseClock, type PhaseTime } from './phase-times.js';
import type { ShipCompiler } from './shipped-build.js';
import { judgeReview, type JudgedReview } from './review-cases.js';

/** Earlier confirmed findings told to a later review, at most. */
const MAX_EARLIER_FINDINGS = 10;

export interface PipelineOptions {
  spec: PluginSpec;
  workspaceDir: string;
  toolchain: Toolchain;
  generator: PluginGenerator;
  maxIterations: number;
  commandTimeoutMs: number;
  outputCapBytes: number;
  /** Wraps every tool run (the sandbox). */
  wrap?: (spec: ProcessSpec) => ProcessSpec;
  /** The job's control group, asked after each step which bounds were hit. */
  resourceGroup?: Pick<ResourceGroup, 'takeBoundsHit'>;
  /** The most the workspace may hold after a step. */
  workspaceLimitBytes?: number;
  /** A model's review of the code; omitted when no model is available. Its findings block only when their tests fail. */
  /**
   * `earlier`: what earlier reviews of this job confirmed (now passing their regression tests), so a
   * later review does not block on one more variant of a problem already fixed.
   */
  review?: (files: GeneratedFile[], signal: AbortSignal, earlier: readonly string[]) => Promise<ModelReview>;
  /** A review score below this is shown as advice; it never blocks (a test decides, not a score). */
  reviewThreshold: number;
  /** Adds dependencies a generator asked for (already validated) to the workspace and installs them. */
  addDependencies?: (dependencies: Record<string, string>, signal: AbortSignal) => Promise<void>;
  /** Adds permissions the generated code needs (GenerationResult.permissions) to the package.json's declaration. */
  addPermissions?: (permissions: NonNullable<GenerationResult['permissions']>) => Promise<void>;
  /** Puts the pipeline's own configuration back in the workspace; called before every step. */
  restoreConfig?: () => Promise<void>;
  signal: AbortSignal;
  /**
   * Starts the shipped build of sources that passed the checks so far; the job takes it when the
   * accepted sources are still the same at the end (the host's build of the pipeline's copy, never the sandbox's output).
   */
  prepareShip?: (sources: GeneratedFile[], compiler?: ShipCompiler) => void;
  /** Adds up the job's model time, so each iteration can report model and tool time apart. */
  modelMeter?: { readonly elapsedMs: number };
  /** Warm workers started before the job (the warm spare it adopted); without them the pipeline starts its own. */
  workers?: PipelineWorkers;
}

/** The job's checker, test runner and source scanner, with what they need before each step and when the job is done with them. */
export interface PipelineWorkers {
  check: CheckWorker;
  test: CheckWorker;
  /** The static scan's process (trusted as a gate: apart from the job's sandbox, it never reads the workspace). */
  scan: ScanWorker;
  /** Called before every step, after the configuration is restored (an adopted spare's bound configuration follows the job's). */
  beforeStep?: () => Promise<void>;
  /** Ends them; called once when the pipeline ends. Without it they are closed. */
  release?: () => Promise<void>;
}

/** How the pipeline reports progress to its job. */
export interface PipelineHooks {
  phase(phase: JobPhase, iteration: number): Promise<void>;
  log(line: string): Promise<void>;
  iterationDone(result: IterationResult): Promise<void>;
}

export interface IterationResult {
  iteration: number;
  failedAt: JobPhase | undefined;
  diagnostics: Diagnostic[];
  tests: StepResult['tests'];
  durationMs: number;
  /** The part of durationMs spent waiting for the model (generation and review). */
  modelMs: number;
  /** Every finding of this iteration's review: confirmed by its test (fed back), unconfirmed or advice. */
  reviewFindings?: JudgedReview['findings'];
  /** Where this iteration's time went: generation, each tool, configuration restores, validation, review. */
  phases: PhaseTime[];
}

export interface PipelineOutcome {
  ok: boolean;
  iterations: number;
  tests: StepResult['tests'];
  validation: (ValidationReport & { review?: JudgedReview }) | undefined;
  lastFeedback: IterationFeedback | undefined;
  /** The accepted sources the checks ran on (what the shipped build is made from). */
  sources: GeneratedFile[];
}

/**
 * generate → build → lint → test → validate, repeated with the first failing gate's diagnostics fed
 * back, until everything passes or the iterations run out. Red steps are results; only
 * cancellation, a deadline, or a deterministic generator failing its own gates (GENERATOR_DEFECT)
 * end the loop early.
 */
export async function runPipeline(opts: PipelineOptions, hooks: PipelineHooks): Promise<PipelineOutcome> {
  // One warm TypeScript + ESLint process and one warm Vitest per job, both in the job's sandbox:
  // later iterations skip the tools' start-up, and the first finds them started during generation
  // (or already warm, when the job adopted the warm spare).
  const workers: PipelineWorkers = opts.workers ?? {
    check: new CheckWorker(opts.workspaceDir, opts.wrap, opts.outputCapBytes, 'check'),
    test: new CheckWorker(opts.workspaceDir, opts.wrap, opts.outputCapBytes, 'test'),
    // It also compiles the shipped build (ShipCompiler).
    scan: new ScanWorker(),
  };
  try {
    // An adopted spare's are started (and warm) already; warming a started worker again is a no-op for the scanner.
    const warming = opts.workers ? [workers.scan.warm(opts.signal)] : [workers.check.warm(opts.signal), workers.test.warm(opts.signal), workers.scan.warm(opts.signal)];
    await Promise.all(warming);
    return await iterate(opts, hooks, workers);
  } finally {
    workers.check.close();
    workers.test.close();
    // The shipped build it may be compiling now is the job's next step.
    workers.scan.closeWhenIdle();
    await workers.release?.();
  }
}

async function iterate(opts: PipelineOptions, hooks: PipelineHooks, workers: PipelineWorkers): Promise<PipelineOutcome> {
  const { spec, workspaceDir, toolchain, signal } = opts;
  let feedback: IterationFeedback | undefined;
  let tests: StepResult['tests'];
  let validation: PipelineOutcome['validation'];
  // The pipeline's copy of the sources: src/ is rebuilt from it each iteration, and the model sees it.
  const sources = new AcceptedSources(workspaceDir, contractTestFiles(spec));

  // What earlier reviews of this job confirmed, told to the next review (bounded).
  const confirmedBefore: string[] = [];
  for (let iteration = 1; iteration <= opts.maxIterations; iteration++) {
    signal.throwIfAborted();
    const started = Date.now();
    const clock = new PhaseClock(iteration);
    const modelBefore = opts.modelMeter?.elapsedMs ?? 0;
    const finish = async (failedAt: JobPhase | undefined, diagnostics: Diagnostic[], review?: JudgedReview): Promise<void> => {
      const modelMs = (opts.modelMeter?.elapsedMs ?? 0) - modelBefore;
      await hooks.iterationDone({
        iteration,
        failedAt,
        diagnostics,
        tests,
        durationMs: Date.now() - started,
        modelMs,
        ...(review ? { reviewFindings: review.findings } : {}),
        phases: clock.list(),
      });
    };

    await hooks.phase('generate', iteration);
    await hooks.log(`Iteration ${iteration}: generating with the ${opts.generator.kind} generator`);
    const currentFiles = iteration === 1 ? [] : sources.list();
    let generated: Awaited<ReturnType<PluginGenerator['generate']>>;
    try {
      generated = await clock.time('generate', async () => {
        const answer = await opts.generator.generate({ spec, iteration, currentFiles, feedback, signal });
        // Refuses the whole answer before writing anything when one path is not allowed.
        await sources.accept(answer.files);
        return answer;
      });
    } catch (error) {
      if (!isPluginDynamicError(error) || error.code !== 'MODEL_OUTPUT_REFUSED') throw error;
      // A malformed or unsafe answer is a failed iteration: the model is told why and tries again.
      feedback = feedbackFor('generate', [{ tool: 'validate', code: error.code, message: error.message }]);
      await hooks.log(`generated files refused: ${error.message}`);
      await finish('generate', feedback.diagnostics);
      continue;
    }
    if (generated.dependencies && Object.keys(generated.dependencies).length > 0 && opts.addDependencies) {
      await hooks.log(`adding dependencies: ${Object.keys(generated.dependencies).join(', ')}`);
      const add = opts.addDependencies;
      await clock.time('setup', () => add(generated.dependencies ?? {}, signal));
    }
    if (generated.permissions && opts.addPermissions) await opts.addPermissions(generated.permissions);
    // The generator may not edit the tests it is judged by: put them back before every run.
    await clock.time('config-restore', () => restoreContractTests(workspaceDir, spec));
    const restoreConfig = opts.restoreConfig;
    const beforeStep = workers.beforeStep;
    const restore =
      restoreConfig && beforeStep
        ? async () => {
            await restoreConfig();
            await beforeStep();
          }
        : restoreConfig;

    const ctx = {
      workspaceDir,
      toolchain,
      timeoutMs: opts.commandTimeoutMs,
      outputCapBytes: opts.outputCapBytes,
      signal,
      worker: workers.check,
      testWorker: workers.test,
      ...(opts.wrap ? { wrap: opts.wrap } : {}),
      ...(opts.resourceGroup ? { resourceGroup: opts.resourceGroup } : {}),
      ...(opts.workspaceLimitBytes !== undefined ? { workspaceLimitBytes: opts.workspaceLimitBytes } : {}),
      ...(restore ? { restoreConfig: () => clock.time('config-restore', restore) } : {}),
    };
    let failed: IterationFeedback | undefined;
    const judge = async (result: StepResult): Promise<boolean> => {
      clock.add(TOOL_OF_STEP[result.step], result.durationMs);
      throwIfStopped(result, signal, result.step);
      if (result.tests) {
        tests = result.tests;
        await hooks.log(`${result.tests.passed}/${result.tests.total} tests passed`);
      }
      if (result.ok) {
        await hooks.log(`${result.step} passed`);
        return true;
      }
      // A sandbox bound leads the feedback: it is why the step failed, whatever the tool printed.
      const diagnostics = result.bounds.length > 0 ? [boundFailure(result), ...result.diagnostics] : result.diagnostics;
      failed = feedbackFor(result.step, diagnostics.length ? diagnostics : [rawFailure(result.step, result)]);
      return false;
    };
    // A test run an earlier gate's failure made moot: its time is counted, its verdict not read.
    const unread = (tested: StepResult): void => {
      clock.add('vitest', tested.durationMs);
      throwIfStopped(tested, signal, 'test');
    };
    await hooks.phase('build', iteration);
    // The tests run the sources (Vitest compiles them itself), not the build: they start beside it,
    // in their own worker, and the feedback still names the first failing gate in order (build, lint, test).
    const testing = runTests(ctx);
    // The build or lint may end the iteration first (cancelled, stopped): the tests' own failure then has no reader.
    testing.catch(() => undefined);
    if (await judge(await runBuild(ctx))) {
      // A deterministic generator's sources that compile are what ships unless a gate fails (then the job ends).
      if (opts.generator.deterministic) opts.prepareShip?.(sources.list(), workers.scan);
      // Lint reads the build's program; it runs beside the tests still running.
      await hooks.phase('lint', iteration);
      const linted = await runLint(ctx);
      // ESLint's fixes never cost an iteration: the fixed sources become the accepted ones.
      const taken = sources.takeFixes(linted.fixed ?? []);
      if (taken.length > 0) await hooks.log(`ESLint fixed ${taken.join(', ')}`);
      await hooks.phase('test', iteration);
      const tested = await testing;
      if (await judge(linted)) await judge(tested);
      else unread(tested);
    } else {
      // A red build is the feedback; the test run is waited for, so the next iteration's starts on a free worker.
      unread(await testing);
    }
    if (failed) {
      await hooks.log(`${failed.gate} failed with ${failed.total} problem(s)`);
      await finish(failed.gate === 'review' ? 'validate' : failed.gate, failed.diagnostics);
      if (opts.generator.deterministic) throw generatorDefect(opts.generator, failed, iteration);
      feedback = failed;
      continue;
    }

    if (!opts.generator.deterministic) opts.prepareShip?.(sources.list(), workers.scan);
    await hooks.phase('validate', iteration);
    const report = await clock.time('validate', () => validatePlugin({
      workspaceDir,
      spec,
      toolchain,
      timeoutMs: opts.commandTimeoutMs,
      signal,
      ...(opts.wrap ? { wrap: opts.wrap } : {}),
      ...(opts.resourceGroup ? { resourceGroup: opts.resourceGroup } : {}),
      files: sources.list(),
      scanner: workers.scan,
    }));
    const judged = report.ok && opts.review ? await clock.time('review', () => reviewWithCases(opts, ctx, sources, iteration, hooks, confirmedBefore)) : undefined;
    const review = judged?.review;
    validation = { ...report, ...(review ? { review, score: review.score } : {}) };
    const problems = validationProblems(report);
    if (problems.length > 0 || (judged?.problems.length ?? 0) > 0) {
      // Static problems first; otherwise what the review's tests confirmed (named as such to the model).
      feedback = problems.length > 0 ? feedbackFor('validate', problems) : feedbackFor('review', judged?.problems ?? []);
      await hooks.log(problems.length > 0 ? `validation failed with ${problems.length} problem(s)` : `the review confirmed ${feedback.total} problem(s) with failing tests`);
      await finish('validate', feedback.diagnostics, review);
      if (opts.generator.deterministic) throw generatorDefect(opts.generator, feedback, iteration);
      continue;
    }
    await hooks.log(review ? `validation passed (review score ${review.score})` : 'validation passed');
    await finish(undefined, [], review);
    return { ok: true, iterations: iteration, tests, validation, lastFeedback: undefined, sources: sources.list() };
  }
  return { ok: false, iterations: opts.maxIterations, tests, validation, lastFeedback: feedback, sources: sources.list() };
}

function throwIfStopped(result: Pick<StepResult, 'cancelled'>, signal: AbortSignal, gate: string): void {
  if (result.cancelled || signal.aborted) {
    const reason: unknown = signal.reason;
    if (isPluginDynamicError(reason)) throw reason;
    throw new PluginDynamicError('JOB_CANCELLED', `The job was cancelled during ${gate}.`);
  }
}

const TOOL_OF_STEP = { build: 'tsc', lint: 'eslint', test: 'vitest' } as const;

function toolOf(gate: string): Diagnostic['tool'] {
  return gate === 'build' ? 'tsc' : gate === 'lint' ? 'eslint' : 'vitest';
}

function boundFailure(result: StepResult): Diagnostic {
  return { tool: toolOf(result.step), code: 'sandbox-bound', message: `${result.step} was stopped by the sandbox: ${result.bounds.join(' and ')}.` };
}

function rawFailure(gate: string, result: StepResult): Diagnostic {
  const why = result.timedOut
    ? 'ran past its time limit and was killed'
    : result.outputLimitHit
      ? 'printed more than the output cap and was killed'
      : 'failed without a readable diagnostic';
  return { tool: toolOf(gate), message: `${gate} ${why}: ${result.rawTail.slice(-800)}` };
}

/**
 * The review, then its findings' tests run against the current code: the confirmed ones' tests are
 * pinned in the plugin as regression tests, everything else is logged as advice.
 */
async function reviewWithCases(
  opts: PipelineOptions,
  ctx: StepContext,
  sources: AcceptedSources,
  iteration: number,
  hooks: PipelineHooks,
  confirmedBefore: string[],
): Promise<Awaited<ReturnType<typeof judgeReview>> | undefined> {
  if (!opts.review) return undefined;
  const files = sources.list();
  const answered = await opts.review(files, opts.signal, confirmedBefore);
  const judged = await judgeReview(ctx, answered, { iteration, existing: new Set(files.map((f) => f.path)) });
  throwIfStopped({ cancelled: opts.signal.aborted }, opts.signal, 'the review');
  sources.pin(judged.regressionTests);
  for (const f of judged.review.findings) if (f.status === 'confirmed' && confirmedBefore.length < MAX_EARLIER_FINDINGS) confirmedBefore.push(f.message.slice(0, 300));
  const advice = judged.review.findings.filter((f) => f.status !== 'confirmed').length;
  if (judged.review.score < opts.reviewThreshold) judged.review.suggestions.push(`The review scored ${judged.review.score} (advice below ${opts.reviewThreshold}).`);
  await hooks.log(`review: ${judged.regressionTests.length} finding(s) confirmed by failing tests, ${advice} kept as advice`);
  return judged;
}
