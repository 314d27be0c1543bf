import { distance } from 'fastest-levenshtein';
import { codedError, type PluginDynamicError } from '../../errors.js';
import type { RegistryEntry } from '../types.js';
import { baseName, searchRegistry } from './search-registry.js';

/** The names tried in order before any fuzzy match, as the ElizaOS CLI tries them. */
export function candidateNames(word: string): string[] {
  const input = word.trim();
  const base = baseName(input);
  return [...new Set([input, base, `plugin-${base}`, `@elizaos/${base}`, `@elizaos/plugin-${base}`])];
}

/** How many edits still count as a typo: one for short words, more for long ones. */
function typoBudget(length: number): number {
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

/** 1.x releases first (loadable here), then stars: the order candidates and suggestions are shown in. */
function byUsefulness(a: RegistryEntry, b: RegistryEntry): number {
  return Number(b.supportsV1) - Number(a.supportsV1) || b.stars - a.stars || a.name.localeCompare(b.name);
}

function closestByEdits(entries: readonly RegistryEntry[], base: string): RegistryEntry[] {
  const budget = typoBudget(base.length);
  let best = Number.POSITIVE_INFINITY;
  let found: RegistryEntry[] = [];
  for (const entry of entries) {
    const d = distance(base, baseName(entry.name));
    if (d > budget || d > best) continue;
    if (d < best) {
      best = d;
      found = [];
    }
    found.push(entry);
  }
  return found;
}

/** Entries whose base name contains the word, or is contained in it ("weather" → "open-weather"). */
function containing(entries: readonly RegistryEntry[], base: string): RegistryEntry[] {
  if (base.length < 3) return [];
  return entries.filter((entry) => {
    const other = baseName(entry.name);
    return other.includes(base) || (other.length >= 4 && base.includes(other));
  });
}

function ambiguous(word: string, candidates: RegistryEntry[]): PluginDynamicError {
  const names = [...candidates].sort(byUsefulness).map((e) => e.name);
  const shown = names.slice(0, 10);
  const more = names.length > shown.length ? ` and ${names.length - shown.length} more` : '';
  return codedError('PLUGIN_AMBIGUOUS', { word: `"${word}"`, candidates: `${shown.join(', ')}${more}`, purpose: '' }, { details: { word, candidates: names } });
}

function notFound(entries: readonly RegistryEntry[], word: string, base: string): PluginDynamicError {
  // Suggest what a search for the word finds, then the nearest names by spelling.
  const fromSearch = searchRegistry(entries, word, { limit: 5 }).map((hit) => hit.entry.name);
  const bySpelling = [...entries]
    .map((entry) => ({ name: entry.name, d: distance(base, baseName(entry.name)) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 5)
    .map((x) => x.name);
  const suggestions = [...new Set([...fromSearch, ...bySpelling])].slice(0, 5);
  const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(', ')}?` : '';
  return codedError('PLUGIN_NOT_FOUND', { subject: `No plugin called "${word}"`, problem: `is in the registry.${hint}` }, {
    details: { word, suggestions },
  });
}

/**
 * A near name found by spelling or by containing the word: only ever offered, never taken, when
 * the caller is about to install. The user confirms by asking again with the exact name.
 */
function onlySuggested(word: string, candidates: RegistryEntry[]): PluginDynamicError {
  const names = [...candidates].sort(byUsefulness).map((e) => e.name);
  const shown = names.slice(0, 5);
  const options = shown.length === 1 ? shown[0] : `one of ${shown.join(', ')}`;
  return codedError(
    'PLUGIN_NOT_FOUND',
    { subject: `No plugin is called "${word}".`, problem: `Did you mean ${options}? Nothing was installed: ask again with the exact name to install it.` },
    { details: { word, suggestions: names } },
  );
}

export interface ResolveOptions {
  /**
   * Accept a close spelling or a containing name as the answer. Off for installs: there a near
   * name is only suggested (PLUGIN_NOT_FOUND with `suggestions`), so a typed name is never
   * stretched into another plugin.
   * @default true
   */
  fuzzy?: boolean;
}

/**
 * The registry entry a person means by `word`: the exact name, then the CLI's variants
 * (base name, plugin-<base>, @elizaos/<base>, @elizaos/plugin-<base>), then a close spelling,
 * then a name containing the word.
 *
 * @throws PluginDynamicError INVALID_INPUT for an empty word, PLUGIN_AMBIGUOUS when several entries
 * fit equally well, PLUGIN_NOT_FOUND (with suggestions) when none does, or when only a near name
 * fits and `fuzzy` is off.
 */
export function resolvePluginName(entries: readonly RegistryEntry[], word: string, options: ResolveOptions = {}): RegistryEntry {
  const input = word.trim();
  if (input === '') throw codedError('INVALID_INPUT', { input: 'The plugin name', problem: 'is empty: name the plugin to look for.' });
  // npm names are lower case, but the registry keeps a few old mixed-case scopes: compare without case.
  const byName = new Map<string, RegistryEntry>();
  for (const entry of entries) byName.set(entry.name.toLowerCase(), entry);
  for (const candidate of candidateNames(input)) {
    const entry = byName.get(candidate.toLowerCase());
    if (entry) return entry;
  }
  const base = baseName(input);
  const fuzzy = options.fuzzy ?? true;
  for (const found of [closestByEdits(entries, base), containing(entries, base)]) {
    if (found.length > 0 && !fuzzy) throw onlySuggested(input, found);
    if (found.length === 1 && found[0]) return found[0];
    if (found.length > 1) throw ambiguous(input, found);
  }
  throw notFound(entries, input, base);
}
