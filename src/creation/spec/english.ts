import { nlp } from './lazy-nlp.js';

/*
 * English number for names, by compromise's lexicon and rules ("movies" -> "movie", "celsius"
 * stays "celsius", "boxes" -> "box"), rather than by cutting letters off.
 */

const cache = new Map<string, string>();
/** Words that look plural and are not. */
const SAME = new Set(['news', 'series', 'species', 'status', 'analytics', 'physics', 'mathematics', 'data', 'dice', 'celsius', 'gas', 'bus', 'canvas', 'alias']);

function inflect(word: string, to: 'singular' | 'plural'): string {
  const key = `${to}:${word}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const doc = nlp(word);
  const nouns = doc.nouns();
  let out = word;
  if (nouns.found) {
    const changed = (to === 'singular' ? nouns.toSingular() : nouns.toPlural()).text().toLowerCase().trim();
    if (/^[a-z][a-z0-9-]*$/.test(changed)) out = changed;
  } else if (to === 'plural' && !/s$/.test(word)) {
    out = `${word}s`;
  }
  cache.set(key, out);
  return out;
}

/** compromise first; where it leaves a plural as it is (it reads "notes" as a verb alone), plain rules. */
export function singular(word: string): string {
  const w = word.toLowerCase();
  if (SAME.has(w)) return w;
  const c = inflect(w, 'singular');
  if (c !== w) return c;
  if (/(ch|sh|x|ss|zz)es$/.test(w)) return w.slice(0, -2);
  if (/[^su]s$/.test(w) && !/ies$/.test(w)) return w.slice(0, -1);
  return w;
}

export function plural(word: string): string {
  const w = word.toLowerCase();
  if (/(ch|sh|x|ss|zz)$/.test(w)) return `${w}es`;
  const p = inflect(w, 'plural');
  // compromise leaves mass nouns ("wine", "coffee") as they are; a list of them is still "wines".
  return p === w && !SAME.has(w) && !/s$/.test(w) ? `${w}s` : p;
}
