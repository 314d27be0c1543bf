import { describe, expect, it } from 'vitest';
import { appendPhases, PHASE_TIMES_LIMIT, PhaseClock, PhaseTimeSchema, phaseText, phaseTotals } from '../../../src/creation/pipeline/phase-times.js';

describe('phase times', () => {
  it('a clock records each phase for its iteration, also when the work throws', async () => {
    const clock = new PhaseClock(2);
    clock.add('tsc', 120.4);
    await expect(clock.time('generate', () => Promise.reject(new Error('model refused')))).rejects.toThrow('model refused');
    const phases = clock.list();
    expect(phases.map((p) => [p.name, p.iteration])).toEqual([
      ['tsc', 2],
      ['generate', 2],
    ]);
    expect(phases[0]?.ms).toBe(120);
    for (const p of phases) expect(PhaseTimeSchema.parse(p)).toEqual(p);
  });

  it('totals each name over the iterations, in the vocabulary order, leaving out what never ran', () => {
    const phases = [
      { name: 'vitest' as const, iteration: 1, ms: 900 },
      { name: 'tsc' as const, iteration: 1, ms: 2000 },
      { name: 'tsc' as const, iteration: 2, ms: 200 },
      { name: 'install' as const, iteration: 0, ms: 0 },
    ];
    expect(phaseTotals(phases)).toEqual([
      { name: 'tsc', ms: 2200 },
      { name: 'vitest', ms: 900 },
      { name: 'install', ms: 0 },
    ]);
    expect(phaseText(phases)).toBe('tsc 2.20 s · vitest 0.90 s · install 0.00 s');
  });

  it('a job keeps at most the limit, dropping the oldest', () => {
    const many = Array.from({ length: PHASE_TIMES_LIMIT }, (_, i) => ({ name: 'eslint' as const, iteration: i, ms: 1 }));
    const kept = appendPhases(many, [{ name: 'load', iteration: 0, ms: 5 }]);
    expect(kept).toHaveLength(PHASE_TIMES_LIMIT);
    expect(kept[0]?.iteration).toBe(1);
    expect(kept.at(-1)?.name).toBe('load');
  });
});
