import type { Finding } from './static-scan.d.mts';

/*
 * The scanner's channel (scan-worker.mjs): one JSON request per stdin line from the agent, one JSON
 * answer per stdout line. The agent Zod-checks every answer (src/creation/validate/scan-answer.ts).
 */

/** The sources to scan, sent by the agent (never read from a workspace). */
export interface ScanRequest {
  id: number;
  files: { path: string; content: string }[];
}

/** The shipped build: the accepted sources (paths under src/) compiled file by file with these compiler options. */
export interface EmitRequest {
  id: number;
  command: 'emit';
  files: { path: string; content: string }[];
  compilerOptions: Record<string, unknown>;
}

/** A syntax error, as tsc reports it. */
export interface EmitDiagnostic {
  file?: string;
  line?: number;
  code: string;
  message: string;
}

/** The findings of one request, or why the scan could not be made. */
export type ScanAnswer = { id: number; findings: Finding[] } | { id: number; error: string };

/**
 * What one emit made (paths relative to the package: dist/…); or its syntax errors; or
 * `wholeProgram` (nothing made) when a file's declarations cannot be written from that file alone;
 * or why it could not run.
 */
export type EmitAnswer =
  | { id: number; outputs: { path: string; content: string }[]; diagnostics: EmitDiagnostic[]; wholeProgram: boolean }
  | { id: number; error: string };
