import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runProcess, scrubbedEnv, type ProcessResult, type ProcessSpec } from '../../shared/process-runner.js';
import { sandboxBoundHit } from '../../shared/sandbox/index.js';
import type { Toolchain } from '../toolchain/toolchain.js';
import type { CheckWorker, WorkerAnswer } from './check-worker.js';
import type { Diagnostic } from './diagnostics.js';
import { parseEslintJson } from './parse-eslint.js';
import { parseTscOutput } from './parse-tsc.js';
import { parseVitestJson, type TestCounts } from './parse-vitest.js';

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
}

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
}

async function tool(ctx: StepContext, entry: string, args: string[]): Promise<ProcessResult> {
  const home = join(ctx.workspaceDir, '.home');
  await mkdir(home, { recursive: true });
  const spec: ProcessSpec = {
    command: process.execPath,
    args: [entry, ...args],
    cwd: ctx.workspaceDir,
    env: scrubbedEnv(home, { NODE_ENV: 'test', TMPDIR: home }),
    timeoutMs: ctx.timeoutMs,
    maxOutputBytes: ctx.outputCapBytes,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  return runProcess(ctx.wrap ? ctx.wrap(spec) : spec);
}

function boundNote(run: ProcessResult): string {
  const bound = run.ok ? undefined : sandboxBoundHit(run);
  return bound ? `stopped by ${bound}. ` : '';
}

function result(step: StepResult['step'], run: ProcessResult, diagnostics: Diagnostic[], extra: Partial<StepResult> = {}): StepResult {
  return {
    step,
    ok: run.ok,
    diagnostics,
    durationMs: run.durationMs,
    timedOut: run.timedOut,
    cancelled: run.cancelled,
    outputLimitHit: run.outputLimitHit,
    rawTail: `${boundNote(run)}${`${run.stdout}\n${run.stderr}`.trim().slice(-2_000)}`,
    ...extra,
  };
}

function fromWorker(step: StepResult['step'], answer: WorkerAnswer): StepResult {
  const rawTail = answer.timedOut ? `${step} ran past its time limit and was killed` : answer.cancelled ? `${step} was cancelled` : '';
  return { step, ok: answer.ok, diagnostics: answer.diagnostics, durationMs: answer.durationMs, timedOut: answer.timedOut, cancelled: answer.cancelled, outputLimitHit: false, rawTail };
}

/** tsc over the whole workspace (sources and tests), emitting dist/. */
export async function runBuild(ctx: StepContext): Promise<StepResult> {
  if (ctx.worker) return fromWorker('build', await ctx.worker.request('build', { timeoutMs: ctx.timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) }));
  const run = await tool(ctx, ctx.toolchain.bin.tsc, ['-p', 'tsconfig.json', '--pretty', 'false']);
  return result('build', run, parseTscOutput(run.stdout, ctx.workspaceDir));
}

/** ESLint's automatic fixes first, then the judgement on what is left. */
export async function runLint(ctx: StepContext): Promise<StepResult> {
  if (ctx.worker) return fromWorker('lint', await ctx.worker.request('lint', { timeoutMs: ctx.timeoutMs, ...(ctx.signal ? { signal: ctx.signal } : {}) }));
  // With --fix, the JSON report lists what is left after the fixes were written.
  const run = await tool(ctx, ctx.toolchain.bin.eslint, ['--fix', '--format', 'json', '.']);
  return result('lint', run, parseEslintJson(run.stdout, ctx.workspaceDir));
}

/** vitest once, its JSON report read from a file inside the workspace. */
export async function runTests(ctx: StepContext): Promise<StepResult> {
  const reportFile = join(ctx.workspaceDir, '.vitest', 'report.json');
  await rm(reportFile, { force: true });
  // The runner config loader reads vitest.config.ts without writing a bundle into node_modules,
  // which is read-only in the sandbox.
  const run = await tool(ctx, ctx.toolchain.bin.vitest, ['run', '--configLoader', 'runner', '--reporter=json', `--outputFile=${reportFile}`]);
  const report = parseVitestJson(await readFile(reportFile, 'utf8').catch(() => ''), ctx.workspaceDir);
  const ok = run.ok && report !== undefined && report.counts.failed === 0 && report.counts.total > 0;
  return result('test', { ...run, ok }, report?.diagnostics ?? [], report ? { tests: report.counts } : {});
}
