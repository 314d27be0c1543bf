import { safeRemove } from '../../shared/safe-fs/index.js';
import type { GeneratedFile } from '../generators/generator.js';
import { runBuild, runLint, runTests, type Diagnostic, type StepContext, type StepResult } from '../steps/index.js';
import { writeSourceFiles } from '../workspace/workspace-files.js';
import { REVIEW_TEST_DIR, type ModelReview, type ReviewFindingOf } from './model-review.js';

/** The most findings of one review whose tests are run. */
export const MAX_REVIEW_CASES = 5;

/**
 * `confirmed`: its test failed on an assertion against the current code; it blocks. `unconfirmed`:
 * it wanted to block, its test did not show it (why is in `reason`). `advice`: it never asked to
 * block (minor, style, or no test).
 */
export type FindingStatus = 'confirmed' | 'unconfirmed' | 'advice';

export interface JudgedFinding {
  kind: ReviewFindingOf['kind'];
  severity: ReviewFindingOf['severity'];
  message: string;
  file?: string;
  status: FindingStatus;
  /** Why an unconfirmed finding was not confirmed. */
  reason?: string;
  /** Where its test was saved (kept in the plugin when confirmed). */
  test?: string;
}

/** A review after its findings' tests ran: what it blocks on, and what is advice. */
export interface JudgedReview {
  score: number;
  /** The confirmed findings, by message: they block. */
  issues: string[];
  /** Everything else, by message: shown as advice, never fed back. */
  suggestions: string[];
  findings: JudgedFinding[];
  leftOut: string[];
}

export interface ReviewCasesResult {
  review: JudgedReview;
  /** What the next iteration is told: one problem per confirmed finding, with its test's output. */
  problems: Diagnostic[];
  /** The tests of confirmed findings: they stay in the plugin as regression tests. */
  regressionTests: GeneratedFile[];
}

interface Candidate {
  finding: ReviewFindingOf;
  path: string;
  content: string;
  /** Why it is not confirmed. */
  reason?: string;
  /** When it is confirmed: what the next iteration is told. */
  shown?: Diagnostic[];
}

const wantsToBlock = (f: ReviewFindingOf): boolean => f.kind !== 'style' && f.severity === 'major' && f.test !== undefined;

/** A test that imports nothing of the plugin cannot show anything about it. */
const importsThePlugin = (test: string): boolean => /\bfrom\s+['"]\.\.?\//.test(test) || /\bimport\(\s*['"]\.\.?\//.test(test);

const firstLine = (d: Diagnostic): string => `${d.file ?? ''}${d.line ? `:${d.line}` : ''} [${d.code ?? d.tool}] ${d.message}`.trim();

/** A cancelled job confirms nothing: its caller sees the signal and stops. */
function stopped(ctx: StepContext, result: StepResult): boolean {
  return result.cancelled || ctx.signal?.aborted === true;
}

/** The first problem a step reports in one file, for a reason line. */
function problemIn(result: StepResult, path: string): Diagnostic | undefined {
  return result.diagnostics.find((d) => d.file === path);
}

/**
 * Runs the test of every finding that wants to block against the current code, in the sandbox:
 * each must build, lint (ESLint's fixes applied) and then fail on an assertion. That confirms it;
 * anything else leaves it unconfirmed, recorded with the reason and never blocking. Tests that did
 * not confirm their finding are removed from the workspace; the others are handed back to be kept.
 */
export async function judgeReview(
  ctx: StepContext,
  review: ModelReview,
  opts: { iteration: number; existing: ReadonlySet<string> },
): Promise<ReviewCasesResult> {
  const candidates: Candidate[] = [];
  let n = 0;
  const nextPath = (): string => {
    let path: string;
    do path = `${REVIEW_TEST_DIR}/review-${opts.iteration}-${++n}.test.ts`;
    while (opts.existing.has(path));
    return path;
  };
  const overLimit = new Set<ReviewFindingOf>();
  for (const finding of review.findings) {
    if (!wantsToBlock(finding)) continue;
    if (candidates.length >= MAX_REVIEW_CASES) {
      overLimit.add(finding);
      continue;
    }
    const path = nextPath();
    const content = `${(finding.test ?? '').replace(/\s+$/, '')}\n`;
    candidates.push({ finding, path, content, ...(importsThePlugin(content) ? {} : { reason: 'its test imports nothing of the plugin' }) });
  }
  const running = candidates.filter((c) => !c.reason);
  if (running.length > 0) await runCases(ctx, running);

  const findings: JudgedFinding[] = [];
  const problems: Diagnostic[] = [];
  const regressionTests: GeneratedFile[] = [];
  const byFinding = new Map(candidates.map((c) => [c.finding, c]));
  for (const finding of review.findings) {
    const rest = { kind: finding.kind, severity: finding.severity, message: finding.message, ...(finding.file ? { file: finding.file } : {}) };
    const candidate = byFinding.get(finding);
    if (!candidate) {
      findings.push(overLimit.has(finding) ? { ...rest, status: 'unconfirmed', reason: `a review runs at most ${MAX_REVIEW_CASES} tests` } : { ...rest, status: 'advice' });
      continue;
    }
    if (candidate.reason) {
      findings.push({ ...rest, status: 'unconfirmed', reason: candidate.reason });
      continue;
    }
    findings.push({ ...rest, status: 'confirmed', test: candidate.path });
    regressionTests.push({ path: candidate.path, content: candidate.content });
  }
  for (const c of running) problems.push(...(c.shown ?? []));
  for (const c of candidates.filter((c) => c.reason)) await safeRemove(ctx.workspaceDir, c.path);
  if (review.unreadable) findings.push({ kind: 'style', severity: 'minor', message: review.unreadable, status: 'advice' });
  return {
    review: {
      score: review.score,
      issues: findings.filter((f) => f.status === 'confirmed').map((f) => `${f.kind}: ${f.message}`),
      suggestions: findings.filter((f) => f.status !== 'confirmed').map((f) => f.message),
      findings,
      leftOut: review.leftOut,
    },
    problems,
    regressionTests,
  };
}

/**
 * Writes the candidates' tests, then build, lint and the candidates' tests alone. A candidate is
 * given a `reason` when it is not confirmed, or `shown` (what the next iteration is told) when it is.
 */
async function runCases(ctx: StepContext, cases: Candidate[]): Promise<void> {
  await writeSourceFiles(ctx.workspaceDir, cases.map((c) => ({ path: c.path, content: c.content })));
  const built = await runBuild(ctx);
  if (stopped(ctx, built)) return;
  // A test that does not compile is its own problem; anything else failing fails them all.
  const elsewhere = built.ok ? undefined : built.diagnostics.find((d) => !cases.some((c) => c.path === d.file));
  for (const c of cases) {
    const problem = problemIn(built, c.path);
    if (problem) c.reason = `its test does not compile: ${firstLine(problem)}`;
    else if (elsewhere || (!built.ok && built.diagnostics.length === 0)) {
      c.reason = `the build with its test failed: ${elsewhere ? firstLine(elsewhere) : built.rawTail.slice(-300)}`;
    }
  }
  const linting = cases.filter((c) => !c.reason);
  if (linting.length === 0) return;
  const linted = await runLint(ctx);
  if (stopped(ctx, linted)) return;
  for (const c of linting) {
    const fixed = linted.fixed?.find((f) => f.path === c.path);
    if (fixed) c.content = fixed.content;
    const problem = problemIn(linted, c.path);
    if (problem) c.reason = `its test does not pass lint: ${firstLine(problem)}`;
  }
  const testing = cases.filter((c) => !c.reason);
  if (testing.length === 0) return;
  const tested = await runTests(ctx, testing.map((c) => c.path));
  if (stopped(ctx, tested)) return;
  for (const c of testing) {
    const failures = tested.diagnostics.filter((d) => d.file === c.path);
    const assertions = failures.filter((d) => d.code !== 'suite' && /^AssertionError\b/.test(d.message));
    if (failures.length === 0) c.reason = tested.bounds.length > 0 ? `its test was stopped by ${tested.bounds.join(' and ')}` : 'its test passes against the current code';
    else if (assertions.length < failures.length) {
      const other = failures.find((d) => !assertions.includes(d)) as Diagnostic;
      c.reason = `its test fails before an assertion, so it tests something else: ${firstLine(other)}`;
    } else {
      c.shown = assertions.map((d) => ({
        tool: 'validate' as const,
        code: `review-${c.finding.kind}`,
        // The source to fix when the reviewer named it; the test (shown with the files) otherwise.
        ...(c.finding.file && c.finding.file !== c.path ? { file: c.finding.file } : { file: c.path, ...(d.line ? { line: d.line } : {}) }),
        message: `${c.finding.message} Shown by the failing test ${c.path} ("${d.code ?? 'test'}"${d.line ? `, line ${d.line}` : ''}): ${d.message}`,
        ...(d.expected !== undefined ? { expected: d.expected } : {}),
        ...(d.received !== undefined ? { received: d.received } : {}),
      }));
    }
  }
}
