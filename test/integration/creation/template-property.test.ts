import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specArb } from '../../helpers/spec-arbitrary.js';
import { TemplateGates } from '../../helpers/template-gates.js';

/*
 * The template generator is total: for any valid specification its plugin builds, lints, passes its
 * own tests and the contract tests, and validates, in the job sandbox with the shared toolchain.
 * A seeded sample keeps CI short; `npm run bench -- template-property` runs 1,000.
 */
const RUNS = 30;
const SEED = 1717;

describe('the template generator on random valid specifications', () => {
  let gates: TemplateGates;
  beforeAll(async () => {
    gates = await TemplateGates.open();
  });
  afterAll(async () => gates.close());

  it(`passes every gate for ${RUNS} seeded specifications, each action working or an honest scaffold`, async () => {
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const verdict = await gates.check(spec);
        expect(verdict.failedAt, JSON.stringify(verdict.diagnostics.slice(0, 3))).toBeUndefined();
        expect(verdict.tests?.failed).toBe(0);
        // Every component's test ran: one test file per action, provider, service and evaluator at least.
        const components = spec.actions.length + spec.providers.length + spec.services.length + spec.evaluators.length;
        expect(verdict.tests?.total).toBeGreaterThanOrEqual(components);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 900_000);
});
