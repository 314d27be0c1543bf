import { z } from 'zod';
import { GENERATOR_KINDS } from '../generators/generator-kinds.js';
import { REVIEW_FINDING_KINDS, REVIEW_SEVERITIES } from '../pipeline/model-review.js';
import { PHASE_TIMES_LIMIT, PhaseTimeSchema } from '../pipeline/phase-times.js';
import { JOB_PHASES, JOB_STATUSES } from './job-status.js';

const DiagnosticSchema = z.object({
  tool: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  code: z.string().optional(),
  message: z.string(),
  expected: z.string().optional(),
  received: z.string().optional(),
});

/**
 * A review finding. It blocks only when `confirmed` (its own failing test showed it; the test is kept
 * in the plugin at `test`); `unconfirmed` (its test did not show it, `reason` says why) and `advice`
 * (minor, style, or no test) are shown to the user and never fed back.
 */
const ReviewFindingSchema = z.object({
  kind: z.enum(REVIEW_FINDING_KINDS),
  severity: z.enum(REVIEW_SEVERITIES).optional(),
  message: z.string(),
  file: z.string().optional(),
  status: z.enum(['confirmed', 'unconfirmed', 'advice']).optional(),
  reason: z.string().optional(),
  test: z.string().optional(),
});

const IterationSchema = z.object({
  iteration: z.number().int().positive(),
  /** The gate that failed this iteration, or none when it passed everything. */
  failedAt: z.enum(JOB_PHASES).optional(),
  diagnostics: z.array(DiagnosticSchema),
  tests: z.object({ passed: z.number(), failed: z.number(), total: z.number() }).optional(),
  durationMs: z.number(),
  /** Of durationMs, the time spent waiting for the model; the rest is the tools' (build, lint, test, validate). */
  modelMs: z.number().optional(),
  toolMs: z.number().optional(),
  /** This iteration's review findings: confirmed by their tests (fed back), unconfirmed or advice. */
  reviewFindings: z.array(ReviewFindingSchema).optional(),
});

/** Where a job's time went, summed over its iterations: the model's answers, and the tools. */
const TimingSchema = z.object({
  modelMs: z.number(),
  toolMs: z.number(),
  modelCalls: z.number().int().nonnegative(),
});

export const JobRecordSchema = z.object({
  id: z.string(),
  status: z.enum(JOB_STATUSES),
  phase: z.enum(JOB_PHASES).optional(),
  iteration: z.number().int().nonnegative(),
  maxIterations: z.number().int().positive(),
  progress: z.number().min(0).max(100),
  pluginName: z.string(),
  /** The validated specification (PluginSpec), stored as data. */
  spec: z.record(z.string(), z.unknown()),
  request: z.object({ kind: z.enum(['spec', 'description']), description: z.string().optional() }),
  requestedBy: z.string().optional(),
  generator: z.enum(GENERATOR_KINDS),
  sandbox: z.string(),
  activate: z.boolean(),
  /** The request said to replace a plugin of the same name made by an earlier job. */
  replace: z.boolean().optional(),
  workspaceDir: z.string(),
  log: z.array(z.object({ at: z.string(), message: z.string() })),
  iterations: z.array(IterationSchema),
  tests: z.object({ passed: z.number(), failed: z.number(), total: z.number() }).optional(),
  validation: z
    .object({
      ok: z.boolean(),
      score: z.number().optional(),
      findings: z.array(DiagnosticSchema),
      missing: z.array(z.string()),
      untested: z.array(z.string()),
      review: z
        .object({
          score: z.number(),
          issues: z.array(z.string()),
          suggestions: z.array(z.string()),
          findings: z.array(ReviewFindingSchema).optional(),
          /** What of the plugin's files the reviewer did not see (its budget ran out). */
          leftOut: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
  /** The build that was installed: made after the checks from the accepted sources; sha256 over its dist/. */
  shipped: z.object({ sha256: z.string(), files: z.number().int().nonnegative() }).optional(),
  result: z
    .object({
      packageName: z.string(),
      pluginStatus: z.string(),
      missingSettings: z.array(z.string()),
      installDir: z.string(),
      /** Template jobs: which components are working recipes and which are scaffolds that say so. */
      components: z
        .array(z.object({ kind: z.enum(['action', 'provider', 'service', 'evaluator']), name: z.string(), recipe: z.string(), working: z.boolean(), detail: z.string() }))
        .optional(),
      /** Declared dependencies the generated code never imports. */
      unusedDependencies: z.array(z.string()).optional(),
    })
    .optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  timing: TimingSchema.optional(),
  /** Where the job's time went, phase by phase and iteration by iteration (pipeline/phase-times.ts). */
  phases: z.array(PhaseTimeSchema).max(PHASE_TIMES_LIMIT).optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  updatedAt: z.string(),
});

export type JobRecord = z.infer<typeof JobRecordSchema>;
export type JobIteration = z.infer<typeof IterationSchema>;
export type JobDiagnostic = z.infer<typeof DiagnosticSchema>;
export type JobTiming = z.infer<typeof TimingSchema>;

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
}

/** "model 12m 3s (4 calls), tools 41s": where a job's time went, for people. */
export function timingText(timing: JobTiming): string {
  return `model ${seconds(timing.modelMs)} (${timing.modelCalls} call${timing.modelCalls === 1 ? '' : 's'}), tools ${seconds(timing.toolMs)}`;
}
export type ReviewFinding = z.infer<typeof ReviewFindingSchema>;

/** Lines of log kept per job; older ones are dropped. */
export const JOB_LOG_LIMIT = 200;
/** How many jobs a listing gives when it is not told (newest first). */
export const JOB_LIST_LIMIT = 50;
/** Diagnostics kept per iteration. */
export const ITERATION_DIAGNOSTIC_LIMIT = 50;
