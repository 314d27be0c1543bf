/** One problem found by a tool, in the form every part of creation reads (and the model is shown). */
export interface Diagnostic {
  tool: 'tsc' | 'eslint' | 'vitest' | 'validate';
  /** Workspace-relative path. */
  file?: string;
  line?: number;
  column?: number;
  /** TS2322, a rule id, or the failing test's name. */
  code?: string;
  message: string;
  expected?: string;
  received?: string;
}
