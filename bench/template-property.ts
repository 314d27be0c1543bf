import fc from 'fast-check';
import { z } from 'zod';
import { planPlugin } from '../src/creation/generators/template/recipes.js';
import { specArb } from '../test/helpers/spec-arbitrary.js';
import { TemplateGates } from '../test/helpers/template-gates.js';
import { fmt } from './bench-runtime.js';

const Args = z.object({ count: z.coerce.number().int().min(1).max(100_000).default(1000), seed: z.coerce.number().int().default(17) });

/**
 * `npm run bench -- template-property [count] [--seed=N]`: the template's output for `count` random
 * valid specifications (1,000 by default) through every gate of the pipeline, one warm toolchain.
 * Reports the failure rate (the goal is 0), the time per specification and the share of components a
 * working recipe serves.
 */
export async function benchTemplateProperty(): Promise<void> {
  const rest = process.argv.slice(3).filter((a) => a !== '--child');
  const args = Args.parse({ count: rest.find((a) => /^\d+$/.test(a)), seed: rest.find((a) => a.startsWith('--seed='))?.slice(7) });
  console.log(`\n## Template generator property (${args.count} specifications, seed ${args.seed})`);
  const specs = fc.sample(specArb, { numRuns: args.count, seed: args.seed });
  const gates = await TemplateGates.open();
  const failures: string[] = [];
  let components = 0;
  let working = 0;
  const started = performance.now();
  try {
    for (const [i, spec] of specs.entries()) {
      const verdict = await gates.check(spec);
      const plan = planPlugin(spec);
      components += plan.components.length;
      working += plan.components.filter((c) => c.working).length;
      if (!verdict.ok) {
        failures.push(`#${i} ${verdict.failedAt}: ${verdict.diagnostics.slice(0, 2).map((d) => `${d.file ?? ''} ${d.message}`).join(' | ').slice(0, 400)}\n    ${JSON.stringify(spec).slice(0, 600)}`);
        console.log(`  failure ${failures.length}: ${failures.at(-1)}`);
      }
      if ((i + 1) % 10 === 0) console.log(`  ${i + 1}/${specs.length} checked, ${failures.length} failed`);
    }
  } finally {
    await gates.close();
  }
  const total = performance.now() - started;
  console.log(`failure rate: ${failures.length}/${specs.length} (${((100 * failures.length) / specs.length).toFixed(1)}%)`);
  console.log(`time per specification: ${fmt(total / specs.length)} (total ${fmt(total)})`);
  console.log(`working components: ${working}/${components} (${((100 * working) / Math.max(1, components)).toFixed(0)}%)`);
  if (failures.length > 0) process.exitCode = 1;
}
