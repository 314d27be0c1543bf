import type { Diagnostic } from '../steps/index.js';

/** Diagnostics given back per iteration: repair loops do best with a short, focused list. */
export const FEEDBACK_DIAGNOSTIC_LIMIT = 10;

/** `review`: the review's findings that their own failing tests confirmed. */
export type Gate = 'generate' | 'build' | 'lint' | 'test' | 'validate' | 'review';

/** What the next iteration is told: only the first failing gate, and only its first few problems. */
export interface IterationFeedback {
  gate: Gate;
  diagnostics: Diagnostic[];
  /** How many problems there were in all (the list above is cut to the limit). */
  total: number;
}

/** Each distinct problem once (a test run with it.each reports the same failure once per case). */
export function feedbackFor(gate: Gate, diagnostics: Diagnostic[]): IterationFeedback {
  const seen = new Set<string>();
  const distinct = diagnostics.filter((d) => {
    const key = diagnosticLine(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { gate, diagnostics: distinct.slice(0, FEEDBACK_DIAGNOSTIC_LIMIT), total: distinct.length };
}

/** One line per diagnostic, for job logs and summaries. */
export function diagnosticLine(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : '';
  const code = d.code ? `[${d.code}] ` : '';
  const detail = d.expected !== undefined || d.received !== undefined ? ` (expected ${d.expected ?? '?'}, received ${d.received ?? '?'})` : '';
  return `${where}${code}${d.message}${detail}`;
}
