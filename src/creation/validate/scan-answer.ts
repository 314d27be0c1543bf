import { z } from 'zod';
import type { EmitAnswer, ScanAnswer } from '../../../worker/scan-worker-protocol.d.mts';
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

/** The most one emitted file may hold (a generated source is far smaller). */
const MAX_EMITTED_BYTES = 4 * 1024 * 1024;

const EmitShape = z.union([
  z
    .object({
      id: z.number().int().positive(),
      outputs: z.array(z.object({ path: z.string().min(1).max(1_000), content: z.string().max(MAX_EMITTED_BYTES) }).strict()).max(2_000),
      diagnostics: z
        .array(
          z
            .object({
              file: z.string().max(1_000).optional(),
              line: z.number().int().min(1).optional(),
              code: z.string().regex(/^TS\d{1,6}$/),
              message: z.string().max(2_000),
            })
            .strict(),
        )
        .max(100),
      wholeProgram: z.boolean(),
    })
    .strict(),
  z.object({ id: z.number().int().positive(), error: z.string().max(2_000) }).strict(),
]);

// Both ends of the channel agree on the answer's type: the schema's type is the protocol's.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agreed: [Same<z.infer<typeof AnswerShape>, ScanAnswer>, Same<z.infer<typeof FindingShape>, Finding>, Same<z.infer<typeof EmitShape>, EmitAnswer>] = [
  true,
  true,
  true,
];
void agreed;

/** One line from the scanner, parsed once: its JSON value and the request id it answers, or in words why it is not one. */
export function parseScanLine(line: string): { value: unknown; id: number | undefined } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'the scanner printed a line that is not JSON' };
  }
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return { value, id: typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined };
}

/** A parsed line checked as a scan's answer. */
export function scanAnswerOf(value: unknown): { answer: ScanAnswer } | { problem: string } {
  return checked(value, AnswerShape);
}

/** A parsed line checked as an emit's answer. */
export function emitAnswerOf(value: unknown): { answer: EmitAnswer } | { problem: string } {
  return checked(value, EmitShape);
}

function checked<T>(value: unknown, shape: z.ZodType<T>): { answer: T } | { problem: string } {
  const parsed = shape.safeParse(value);
  if (!parsed.success) return { problem: `the scanner's answer has the wrong shape (${parsed.error.issues[0]?.message ?? 'unknown'} at ${parsed.error.issues[0]?.path.join('.') ?? '?'})` };
  return { answer: parsed.data };
}
