import type { Readable } from 'node:stream';

/** Turns any value into plain JSON data, bounded in depth (see plugin-host-json.mjs). */
export function toJsonSafe(value: unknown, depth?: number, seen?: WeakSet<object>): unknown;
/** One frame of the host channel: the value made JSON-safe, as one line. */
export function encodeFrame(value: unknown): string;
/**
 * Calls `onFrame` per parsed line (with its length in characters); `onOversize` once if a line passes `maxBytes` (reading stops). A
 * line that is not JSON is skipped, or, with `onUnparsable`, stops the reading too.
 */
export function readFrames(
  stream: Readable,
  maxBytes: number,
  onFrame: (frame: unknown, length: number) => void,
  onOversize: () => void,
  onUnparsable?: (reason: string) => void,
): void;
