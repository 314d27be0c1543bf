import { PluginDynamicError } from '../../errors.js';
import type { PluginGenerator } from '../generators/generator.js';
import { diagnosticLine, type IterationFeedback } from './feedback.js';

/**
 * The error that ends a job whose deterministic generator failed its own gates: the same files
 * would come back on every iteration, so repeating cannot help. It names the gate and the cause.
 */
export function generatorDefect(generator: PluginGenerator, failed: IterationFeedback, iteration: number): PluginDynamicError {
  const cause = failed.diagnostics.slice(0, 3).map(diagnosticLine).join(' | ') || 'no diagnostic';
  return new PluginDynamicError(
    'GENERATOR_DEFECT',
    `The ${generator.kind} generator's output failed ${failed.gate} in iteration ${iteration}: ${cause}. ` +
      `This is a generator defect to report (with the specification); the job stopped because a repeat cannot change the result.`,
    { details: { gate: failed.gate, diagnostics: failed.diagnostics, total: failed.total } },
  );
}
