/** What replaces a secret value wherever it would have been shown. */
export const REDACTED = '[REDACTED]';

/**
 * Shorter values are not redacted: replacing every "on" or "1234" in a prompt would garble it,
 * and a value that short is no secret worth the name.
 */
export const MIN_SECRET_LENGTH = 6;

/** The values worth hiding, longest first so a secret that contains another is replaced whole. */
export function secretList(values: Iterable<unknown>): string[] {
  const found = new Set<string>();
  for (const value of values) {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) found.add(value);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** The text with every secret value replaced by [REDACTED]. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` with every secret value replaced in its strings, its plain objects and arrays
 * walked (keys too). The original is never changed: composed state holds live objects such as the
 * runtime's character, which the plugins still need unredacted. Objects of other classes are kept
 * as they are; parts that hold no secret are shared, not copied.
 */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return seen.get(v);
    if (Array.isArray(v)) {
      const copy: unknown[] = [];
      seen.set(v, copy);
      let changed = false;
      for (const item of v) {
        const next = walk(item);
        changed ||= next !== item;
        copy.push(next);
      }
      if (!changed) seen.set(v, v);
      return changed ? copy : v;
    }
    if (!isPlainObject(v)) return v;
    const copy: Record<string, unknown> = {};
    seen.set(v, copy);
    let changed = false;
    for (const [key, item] of Object.entries(v)) {
      const nextKey = redactText(key, secrets);
      const next = walk(item);
      changed ||= next !== item || nextKey !== key;
      copy[nextKey] = next;
    }
    if (!changed) seen.set(v, v);
    return changed ? copy : v;
  };
  return walk(value) as T;
}
