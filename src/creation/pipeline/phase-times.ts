import { z } from 'zod';

/**
 * Where a creation job's time goes, one name per measured part. `setup`: workspace, dependency
 * install and toolchain before the first iteration; `config-restore`: the pipeline's configuration
 * put back before each tool; `tsc`, `eslint`, `vitest`: each tool's own run (lint and tests run side
 * by side, so their times overlap); `validate`: the import check and scan; `review`: a model's review
 * and its tests; `shipped-build`: the build that is installed; `install` and `load`: plugin management.
 */
export const PHASE_TIME_NAMES = ['setup', 'generate', 'config-restore', 'tsc', 'eslint', 'vitest', 'validate', 'review', 'shipped-build', 'install', 'load'] as const;
export type PhaseTimeName = (typeof PHASE_TIME_NAMES)[number];

/** The most entries a job keeps (every name in every iteration of the longest job fits). */
export const PHASE_TIMES_LIMIT = 400;

export const PhaseTimeSchema = z.object({
  name: z.enum(PHASE_TIME_NAMES),
  /** The iteration it belongs to; 0 for what runs before the first or after the last. */
  iteration: z.number().int().nonnegative(),
  ms: z.number().nonnegative(),
  /** What was skipped because it was already done ("reused the build of iteration 2"). */
  note: z.string().max(200).optional(),
});
export type PhaseTime = z.infer<typeof PhaseTimeSchema>;

/** Collects one iteration's phase times (or the job's outside its iterations). */
export class PhaseClock {
  private readonly entries: PhaseTime[] = [];

  constructor(private readonly iteration: number) {}

  add(name: PhaseTimeName, ms: number, note?: string): void {
    this.entries.push({ name, iteration: this.iteration, ms: Math.max(0, Math.round(ms)), ...(note ? { note } : {}) });
  }

  /** Runs `work` and records its wall time under `name`, whether it succeeds or throws. */
  async time<T>(name: PhaseTimeName, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(name, performance.now() - started);
    }
  }

  list(): PhaseTime[] {
    return [...this.entries];
  }
}

/** Each name's total over the given entries, in the vocabulary's order; names never measured are left out. */
export function phaseTotals(phases: readonly PhaseTime[]): { name: PhaseTimeName; ms: number }[] {
  return PHASE_TIME_NAMES.map((name) => ({ name, ms: phases.filter((p) => p.name === name).reduce((sum, p) => sum + p.ms, 0), seen: phases.some((p) => p.name === name) }))
    .filter((t) => t.seen)
    .map(({ name, ms }) => ({ name, ms }));
}

/** "tsc 0.21 s · eslint 0.40 s · vitest 0.90 s": a phase breakdown for people. */
export function phaseText(phases: readonly PhaseTime[]): string {
  return phaseTotals(phases)
    .map((t) => `${t.name} ${(t.ms / 1000).toFixed(2)} s`)
    .join(' · ');
}

/** A job's phase times with `added` after them, the oldest dropped past PHASE_TIMES_LIMIT. */
export function appendPhases(existing: readonly PhaseTime[] | undefined, added: readonly PhaseTime[]): PhaseTime[] {
  return [...(existing ?? []), ...added].slice(-PHASE_TIMES_LIMIT);
}
