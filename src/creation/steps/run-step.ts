import { isPluginDynamicError } from '../../errors.js';
import { runProcess, scrubbedEnv, type ProcessResult, type ProcessSpec } from '../../shared/process-runner.js';
import { folderBytes } from '../../shared/folder-size.js';
import { safeDirectory, safeReadFile, safeRemove } from '../../shared/safe-fs/index.js';
import { sandboxBoundHit, type ResourceGroup } from '../../shared/sandbox/index.js';
import type { Toolchain } from '../toolchain/toolchain.js';
import type { CheckWorker, WorkerAnswer } from './check-worker.js';
import type { Diagnostic } from './diagnostics.js';
import type { FixedSource } from './fixed-sources.js';
import { parseEslintJson } from './parse-eslint.js';
import { parseTscOutput } from './parse-tsc.js';
import { parseVitestJson, type TestCounts } from './parse-vitest.js';
import { childNode } from '../../shared/child-node.js';

export interface StepContext {
  workspaceDir: string;
  toolchain: Toolchain;
  timeoutMs: number;
  outputCapBytes: number;
  signal?: AbortSignal;
  /** Applied to every command before it runs (the sandbox). */
  wrap?: (spec: ProcessSpec) => ProcessSpec;
  /** A warm TypeScript + ESLint process for this workspace; without one each step starts the tool. */
  worker?: CheckWorker;
  /** A warm Vitest process for this workspace (a CheckWorker of kind `test`); without one each run starts Vitest. */
  testWorker?: CheckWorker;
  /** The job's control group: which of its memory and process bounds a step ran into. */
  resourceGroup?: Pick<ResourceGroup, 'takeBoundsHit'>;
  /** The most the workspace may hold after a step (bytes, symbolic links not counted). */
  workspaceLimitBytes?: number;
  /** Puts the pipeline's own configuration back in the workspace; run before every step. */
  restoreConfig?: () => Promise<void>;
}

/** The most of a test report the agent reads. */
export const REPORT_MAX_BYTES = 8 * 1024 * 1024;

/** A gate's verdict: a red build is a result, not an exception. */
export interface StepResult {
  step: 'build' | 'lint' | 'test';
  ok: boolean;
  diagnostics: Diagnostic[];
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  outputLimitHit: boolean;
  tests?: TestCounts;
  /** The end of the tool's output, for failures no parser understood. */
  rawTail: string;
  /** Sandbox bounds the step ran into ("the memory limit (2048 MB)"); a step that hit one fails. */
  bounds: string[];
  /** Lint through the warm checker: the sources ESLint's fixes changed, with their fixed text. */
  fixed?: FixedSource[];
}

async function tool(ctx: StepContext, entry: string, args: string[]): Promise<ProcessResult> {
  await ctx.restoreConfig?.();
  // A link a test left at .home is replaced, never followed.
  const home = await safeDirectory(ctx.workspaceDir, '.home');
  const spec: ProcessSpec = {
    command: (await childNode(ctx.signal)).path,
    args: [entry, ...args],
    cwd: ctx.workspaceDir,
    env: scrubbedEnv(home, { NODE_ENV: 'test', TMPDIR: home }),
    timeoutMs: ctx.timeoutMs,
    maxOutputBytes: ctx.outputCapBytes,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  return runProcess(ctx.wrap ? ctx.wrap(spec) : spec);
}

/**
 * The bounds a step ran into: the job group's memory and process counters, the workspace's size,
 * then what the process's own end says (a signal from a prlimit bound, the wall clock, the output cap).
 */
async function boundsHit(ctx: StepContext, run: Pick<ProcessResult, 'ok' | 'timedOut' | 'cancelled' | 'outputLimitHit' | 'signal' | 'exitCode' | 'stderr'>): Promise<string[]> {
  const hit = ctx.resourceGroup?.takeBoundsHit() ?? [];
  if (ctx.workspaceLimitBytes !== undefined) {
    const bytes = await folderBytes(ctx.workspaceDir, ctx.workspaceLimitBytes);
    if (bytes > ctx.workspaceLimitBytes) hit.push(`the workspace-size limit (${Math.round(ctx.workspaceLimitBytes / 1024 / 1024)} MB)`);
  }
  // A SIGKILL is the memory bound's doing when the group saw an OOM kill; otherwise prlimit's CPU bound.
  const own = run.ok ? undefined : sandboxBoundHit(run);
  if (own && !(hit.length > 0 && own === 'the CPU-time limit')) hit.push(own);
  return hit;
}

async function result(ctx: StepContext, step: StepResult['step'], run: ProcessResult, diagnostics: Diagnostic[], extra: Partial<StepResult> = {}): Promise<StepResult> {
  const bounds = await boundsHit(ctx, run);
  const note = bounds.length > 0 ? `stopped by ${bounds.join(' and ')}. ` : '';
  return {
    step,
    ok: run.ok && bounds.length === 0,
    diagnostics,
    durationMs: run.durationMs,
    timedOut: run.timedOut,
    cancelled: run.cancelled,
    outputLimitHit: run.outputLimitHit,
    rawTail: `${note}${`${run.stdout}\n${run.stderr}`.trim().slice(-2_000)}`,
    bounds,
    ...extra,
  };
}

async function fromWorker(ctx: StepContext, step: 'build' | 'lint'): Promise<StepResult> {
  const worker = ctx.worker as CheckWorker;
  await ctx.restoreConfig?.();
  let answer: WorkerAnswer;
  try {
    answer = await worker.request(step, { timeoutMs: ctx.timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (error) {
    // The checker died under it: a bound (memory, processes) is the job's failure, not the tool's.
    const bounds = await boundsHit(ctx, { ok: false, timedOut: false, cancelled: false, outputLimitHit: false, signal: null, exitCode: null, stderr: '' });
    if (bounds.length === 0) throw error;
    return { step, ok: false, diagnostics: [], durationMs: 0, timedOut: false, cancelled: false, outputLimitHit: false, rawTail: `stopped by ${bounds.join(' and ')}.`, bounds };
  }
  const bounds = await boundsHit(ctx, { ok: true, timedOut: false, cancelled: false, outputLimitHit: false, signal: null, exitCode: 0, stderr: '' });
  if (answer.timedOut) bounds.push('the wall-time limit');
  if (answer.outputLimitHit) bounds.push('the output-size limit');
  const rawTail = bounds.length > 0 ? `stopped by ${bounds.join(' and ')}.` : answer.cancelled ? `${step} was cancelled` : '';
  return { step, ok: answer.ok && bounds.length === 0, diagnostics: answer.diagnostics, durationMs: answer.durationMs, timedOut: answer.timedOut, cancelled: answer.cancelled, outputLimitHit: answer.outputLimitHit, rawTail, bounds, ...(answer.fixed?.length ? { fixed: answer.fixed } : {}) };
}

/** tsc over the whole workspace (sources and tests), emitting dist/. */
export async function runBuild(ctx: StepContext): Promise<StepResult> {
  if (ctx.worker) return fromWorker(ctx, 'build');
  const run = await tool(ctx, ctx.toolchain.bin.tsc, ['-p', 'tsconfig.json', '--pretty', 'false']);
  return result(ctx, 'build', run, parseTscOutput(run.stdout, ctx.workspaceDir));
}

/** ESLint's automatic fixes first, then the judgement on what is left. */
export async function runLint(ctx: StepContext): Promise<StepResult> {
  if (ctx.worker) return fromWorker(ctx, 'lint');
  // With --fix, the JSON report lists what is left after the fixes were written.
  const run = await tool(ctx, ctx.toolchain.bin.eslint, ['--fix', '--format', 'json', '.']);
  return result(ctx, 'lint', run, parseEslintJson(run.stdout, ctx.workspaceDir));
}

const REPORT = '.vitest-report/report.json';

/**
 * vitest once, its JSON report read from a file inside the workspace: through safeReadFile, since
 * the tests could have put a link, a FIFO or a huge file in its place. `only`: these test files
 * alone (workspace-relative), instead of every test.
 */
export async function runTests(ctx: StepContext, only: readonly string[] = []): Promise<StepResult> {
  await safeRemove(ctx.workspaceDir, '.vitest-report');
  // The runner config loader reads vitest.config.ts without writing a bundle into node_modules,
  // which is read-only in the sandbox. The config is named, so no other file is looked for.
  const run = ctx.testWorker
    ? await testsThroughWorker(ctx, ctx.testWorker, only)
    : await tool(ctx, ctx.toolchain.bin.vitest, ['run', '--config', 'vitest.config.ts', '--configLoader', 'runner', '--reporter=json', `--outputFile=${REPORT}`, ...only]);
  let text: string | undefined;
  let refused: string | undefined;
  try {
    // A cancelled run's report is not read: the job is stopping.
    if (!run.cancelled) text = await safeReadFile(ctx.workspaceDir, REPORT, { maxBytes: REPORT_MAX_BYTES, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  } catch (error) {
    if (ctx.signal?.aborted) return result(ctx, 'test', { ...run, ok: false, cancelled: true }, []);
    if (!isPluginDynamicError(error) || error.code !== 'UNSAFE_WORKSPACE_FILE') throw error;
    refused = error.message;
  }
  const report = parseVitestJson(text ?? '', ctx.workspaceDir);
  const ok = run.ok && report !== undefined && report.counts.failed === 0 && report.counts.total > 0;
  const diagnostics = refused ? [{ tool: 'vitest' as const, code: 'UNSAFE_WORKSPACE_FILE', message: `The test report was not read: ${refused}` }] : (report?.diagnostics ?? []);
  return result(ctx, 'test', { ...run, ok }, diagnostics, report ? { tests: report.counts } : {});
}

/**
 * One test run through the warm Vitest, as a process result: the report is read afterwards exactly
 * as the one-off run's. A runner that failed or died under the tests (they run as its children) is a
 * failed run with that reason, as a crashed `vitest run` is; the job's bounds are read by the caller.
 */
async function testsThroughWorker(ctx: StepContext, worker: CheckWorker, only: readonly string[]): Promise<ProcessResult> {
  await ctx.restoreConfig?.();
  // The runner's HOME and TMPDIR: a link a test left there is replaced, never followed.
  await safeDirectory(ctx.workspaceDir, '.home');
  const started = Date.now();
  try {
    const answer = await worker.request('test', { timeoutMs: ctx.timeoutMs, files: only, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const ok = answer.ok && !answer.timedOut && !answer.cancelled && !answer.outputLimitHit;
    return { ok, exitCode: ok ? 0 : 1, signal: null, stdout: '', stderr: '', timedOut: answer.timedOut, cancelled: answer.cancelled, outputLimitHit: answer.outputLimitHit, durationMs: answer.durationMs };
  } catch (error) {
    if (!isPluginDynamicError(error) || error.code !== 'TOOLCHAIN_UNAVAILABLE') throw error;
    return { ok: false, exitCode: null, signal: null, stdout: '', stderr: error.message, timedOut: false, cancelled: false, outputLimitHit: false, durationMs: Date.now() - started };
  }
}
