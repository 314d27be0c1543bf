import type { Readable } from 'node:stream';

/**
 * The agent's end of the host channel framing (the host's end is `worker/plugin-host-json.mjs`,
 * a separate copy because the worker runs as plain JavaScript inside the sandbox): one JSON
 * document per line, values made JSON-safe first, and a line past the cap ends the reading.
 */
export function toJsonSafe(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === undefined) return undefined;
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (depth > 24) return null;
  const object = value;
  if (object instanceof Error) {
    const code = (object as { code?: unknown }).code;
    return { name: object.name, message: String(object.message), ...(typeof code === 'string' ? { code } : {}) };
  }
  if (object instanceof Date) return object.toISOString();
  if (ArrayBuffer.isView(object)) return Array.from(new Uint8Array(object.buffer, object.byteOffset, object.byteLength));
  if (seen.has(object)) return null;
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item: unknown) => toJsonSafe(item, depth + 1, seen) ?? null);
    if (object instanceof Map) return Object.fromEntries([...object].map(([k, v]) => [String(k), toJsonSafe(v, depth + 1, seen)]));
    if (object instanceof Set) return [...object].map((item: unknown) => toJsonSafe(item, depth + 1, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      // The agent's runtime never crosses to the host.
      if (key === 'runtime') continue;
      const safe = toJsonSafe(item, depth + 1, seen);
      if (safe !== undefined) out[key] = safe;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

export function encodeFrame(value: unknown): string {
  return `${JSON.stringify(toJsonSafe(value))}\n`;
}

/** Calls `onFrame` per parsed line; `onOversize` once if a line passes `maxBytes` (reading stops). */
export function readFrames(stream: Readable, maxBytes: number, onFrame: (frame: unknown) => void, onOversize: () => void): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let stopped = false;
  stream.on('data', (chunk: Buffer) => {
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
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      onFrame(parsed);
    }
  });
}
