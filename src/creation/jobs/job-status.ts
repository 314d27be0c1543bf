import { defineLifecycle } from '../../shared/lifecycle.js';

/** The one status vocabulary of a creation job. Phase and iteration are fields, not states. */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobLifecycle = defineLifecycle<JobStatus>({
  queued: ['running', 'cancelled', 'failed'],
  running: ['succeeded', 'failed', 'cancelled', 'queued'],
  succeeded: [],
  failed: [],
  cancelled: [],
});

export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/** What a job is doing inside one iteration, in order. `install` follows the last successful iteration. */
export const JOB_PHASES = ['generate', 'build', 'lint', 'test', 'validate', 'install'] as const;
export type JobPhase = (typeof JOB_PHASES)[number];

/**
 * Progress from phase and iteration. Iteration 1 spans 0-90%; each later iteration (only needed
 * after a failure) spans half of what is left, so the bar keeps moving forward; install is the
 * last 10%. Callers keep the maximum of this and the previous value.
 */
export function jobProgress(status: JobStatus, phase: JobPhase | undefined, iteration: number): number {
  if (status === 'succeeded') return 100;
  if (status === 'queued' || phase === undefined) return 0;
  if (phase === 'install') return 95;
  const start = 90 * (1 - 0.5 ** Math.max(0, iteration - 1));
  const span = 90 - start;
  const fraction = JOB_PHASES.indexOf(phase) / 5;
  return Math.round(start + span * fraction);
}
