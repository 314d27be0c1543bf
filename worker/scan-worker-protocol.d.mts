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

/** The findings of one request, or why the scan could not be made. */
export type ScanAnswer = { id: number; findings: Finding[] } | { id: number; error: string };
