import { z } from 'zod';

/**
 * The frames a host may send, by shape, checked before birpc sees them (birpc trusts its peer: a
 * `null` frame throws inside it, and a request may name any property of the answering object).
 * A request names one of the agent's functions with the arguments that function takes; a response
 * answers a call the agent made. Anything else is a protocol violation.
 */
const id = z.string().min(1).max(64);
const request = <M extends string, A extends z.ZodTypeAny>(m: M, a: A) =>
  z.object({ t: z.literal('q'), i: id.optional(), m: z.literal(m), a, o: z.boolean().optional() }).strict();

export const HostRequestFrameSchema = z.discriminatedUnion('m', [
  request('forward', z.tuple([z.string().min(1).max(100), z.array(z.unknown()).max(8)])),
  request('callback', z.tuple([z.string().min(1).max(100), z.unknown()])),
  request('registerTaskWorker', z.tuple([z.string().min(1).max(200), z.boolean()])),
  request('log', z.tuple([z.string().max(20), z.string().max(4_000)])),
]);
export type HostRequestFrame = z.infer<typeof HostRequestFrameSchema>;

export const HostResponseFrameSchema = z.object({ t: z.literal('s'), i: id, r: z.unknown().optional(), e: z.unknown().optional() }).strict();
export type HostResponseFrame = z.infer<typeof HostResponseFrameSchema>;

export type HostFrame = { kind: 'request'; frame: HostRequestFrame } | { kind: 'response'; frame: HostResponseFrame };

/** The frame checked by its shape, or the reason it is refused, in words. */
export function checkHostFrame(value: unknown): HostFrame | { refused: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { refused: `a frame that is not an object (${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value})` };
  const kind = (value as { t?: unknown }).t;
  if (kind === 'q') {
    const parsed = HostRequestFrameSchema.safeParse(value);
    if (parsed.success) return { kind: 'request', frame: parsed.data };
    const method = (value as { m?: unknown }).m;
    return { refused: `a request frame the agent does not accept (${typeof method === 'string' ? method.slice(0, 60) : 'no function'}: ${issue(parsed.error)})` };
  }
  if (kind === 's') {
    const parsed = HostResponseFrameSchema.safeParse(value);
    if (parsed.success) return { kind: 'response', frame: parsed.data };
    return { refused: `a response frame the agent does not accept (${issue(parsed.error)})` };
  }
  return { refused: 'a frame that is neither a request nor a response' };
}

function issue(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'frame'}: ${first.message}` : 'invalid';
}
