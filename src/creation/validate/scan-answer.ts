import { z } from 'zod';
import type { ScanAnswer } from '../../../worker/scan-worker-protocol.d.mts';
import type { Finding } from './static-scan.js';

/** The most findings one answer may hold; the scanner sends no more (worker/scan-worker.mjs). */
export const MAX_SCAN_FINDINGS = 1_000;

const FindingShape = z
  .object({
    file: z.string().min(1).max(1_000),
    line: z.number().int().min(1),
    rule: z.string().regex(/^[a-z][a-z-]{0,40}$/),
    message: z.string().min(1).max(2_000),
  })
  .strict();

const AnswerShape = z.union([
  z.object({ id: z.number().int().positive(), findings: z.array(FindingShape).max(MAX_SCAN_FINDINGS) }).strict(),
  z.object({ id: z.number().int().positive(), error: z.string().max(2_000) }).strict(),
]);

// Both ends of the channel agree on the answer's type: the schema's type is the protocol's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agreed: [Same<z.infer<typeof AnswerShape>, ScanAnswer>, Same<z.infer<typeof FindingShape>, Finding>] = [true, true];
void agreed;

/** One line from the scanner, checked: an answer, or in words what is wrong with it. */
export function readScanAnswer(line: string): { answer: ScanAnswer } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'the scanner printed a line that is not JSON' };
  }
  const parsed = AnswerShape.safeParse(value);
  if (!parsed.success) return { problem: `the scanner's answer has the wrong shape (${parsed.error.issues[0]?.message ?? 'unknown'} at ${parsed.error.issues[0]?.path.join('.') ?? '?'})` };
  return { answer: parsed.data };
}
