// JSON framing shared by both ends of the plugin host channel: one JSON document per line, every
// value made JSON-safe first (functions and cycles dropped, errors as { name, message, code },
// bigints as strings), and a line longer than the cap ends the channel instead of buffering on.

/** Turns any value into plain JSON data, bounded in depth. */
export function toJsonSafe(value, depth = 0, seen = new WeakSet()) {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const type = typeof value;
  if (type === 'string' || type === 'boolean') return value;
  if (type === 'number') return Number.isFinite(value) ? value : null;
  if (type === 'bigint') return value.toString();
  if (type === 'function' || type === 'symbol') return undefined;
  if (depth > 24) return null;
  if (value instanceof Error) {
    /** @type {{ name: string; message: string; code?: string }} */
    const out = { name: value.name, message: String(value.message) };
    const code = /** @type {{ code?: unknown }} */ (value).code;
    if (typeof code === 'string') out.code = code;
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  if (ArrayBuffer.isView(value)) return Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (seen.has(value)) return null;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, depth + 1, seen) ?? null);
    if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v, depth + 1, seen)]));
    if (value instanceof Set) return [...value].map((item) => toJsonSafe(item, depth + 1, seen) ?? null);
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      // A runtime object never crosses: it is the agent's (or the host's) own.
      if (key === 'runtime') continue;
      const safe = toJsonSafe(item, depth + 1, seen);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

export function encodeFrame(value) {
  return `${JSON.stringify(toJsonSafe(value))}\n`;
}

/**
 * Calls `onFrame` with each parsed line of a stream; `onOversize` once when a line passes
 * `maxBytes` (the reader stops there: the peer is misbehaving). A line that is not JSON is skipped,
 * or, with `onUnparsable`, ends the reading the same way.
 *
 * @param {import('node:stream').Readable} stream
 * @param {number} maxBytes
 * @param {(frame: unknown, length: number) => void} onFrame (with the line's length in characters)
 * @param {() => void} onOversize
 * @param {(reason: string) => void} [onUnparsable]
 */
export function readFrames(stream, maxBytes, onFrame, onOversize, onUnparsable) {
  let pending = [];
  let pendingBytes = 0;
  let stopped = false;
  stream.on('data', (/** @type {Buffer} */ chunk) => {
    if (stopped) return;
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      pendingBytes += end - start;
      if (pendingBytes > maxBytes) {
        stopped = true;
        pending = [];
        onOversize();
        return;
      }
      if (newline === -1) {
        if (end > start) pending.push(chunk.subarray(start, end));
        return;
      }
      pending.push(chunk.subarray(start, end));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      if (line.trim() === '') continue;
      let parsed;
      try {
        parsed = JSON.parse(line);
      } catch {
        if (!onUnparsable) continue;
        stopped = true;
        pending = [];
        onUnparsable(`a line that is not JSON (${line.length} characters)`);
        return;
      }
      onFrame(parsed, line.length);
    }
  });
}
