import pluralize from 'pluralize';

/*
 * English number for names ("movies" -> "movie", "boxes" -> "box", "people" -> "person"), by
 * pluralize's rules and irregulars rather than by cutting letters off. pluralize is small and
 * loads in a few milliseconds (compromise, used before, took most of a second, and every
 * template job paid it); compromise stays for reading whole sentences (describe-offline.ts).
 */

/** Words that look plural and are not (a singular of their own), in the names plugins use. */
const SAME = new Set(['news', 'series', 'species', 'status', 'analytics', 'physics', 'mathematics', 'data', 'dice', 'celsius', 'gas', 'bus', 'canvas', 'alias']);

export function singular(word: string): string {
  const w = word.toLowerCase();
  if (SAME.has(w)) return w;
  const out = pluralize.singular(w);
  return /^[a-z][a-z0-9-]*$/.test(out) ? out : w;
}

export function plural(word: string): string {
  const w = word.toLowerCase();
  const out = pluralize.plural(w);
  return /^[a-z][a-z0-9-]*$/.test(out) ? out : `${w}s`;
}
