import { z } from 'zod';
import { NpmV1CheckSchema } from './npm-v1-check.js';
import { RegistryEntrySchema, type RegistryEntry } from '../types.js';

export const REGISTRY_MATCH_FIELDS = ['name', 'description', 'topics'] as const;
export type RegistryMatchField = (typeof REGISTRY_MATCH_FIELDS)[number];

export const RegistrySearchHitSchema = z.object({
  entry: RegistryEntrySchema,
  /** Higher is better; only meaningful to compare hits of the same query. */
  score: z.number(),
  /** Which parts of the entry the query matched, name first. */
  matchedOn: z.array(z.enum(REGISTRY_MATCH_FIELDS)),
  /** What npm says about the entry's 1.x line, once checked (the registry's own flag is only a claim). */
  npm: NpmV1CheckSchema.optional(),
});
export type RegistrySearchHit = z.output<typeof RegistrySearchHitSchema>;

export interface RegistrySearchOptions {
  /** @default 10 */
  limit?: number;
  /** Only entries with an ElizaOS 1.x release. @default false */
  v1Only?: boolean;
}

/*
 * Words every plugin shares ("plugin", "elizaos") or that people add around what they want
 * ("a plugin for the weather") would match everything and drown the word that matters.
 */
const FILLER = new Set([
  'a', 'an', 'and', 'any', 'for', 'find', 'i', 'in', 'is', 'me', 'my', 'need', 'of', 'on', 'or', 'search',
  'some', 'that', 'the', 'to', 'want', 'with', 'plugin', 'plugins', 'eliza', 'elizaos',
]);

// Weights: a word of the name says what the plugin is; topics are chosen labels; descriptions are prose.
const WEIGHT = {
  wholeName: 100,
  nameStart: 30,
  nameWord: 40,
  namePart: 20,
  topicWord: 12,
  topicPart: 6,
  descriptionWord: 10,
  descriptionPart: 4,
  everyWord: 20,
} as const;

export function tokenize(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean))];
}

/** The name without scope and "plugin-" prefix: "@elizaos/plugin-open-weather" → "open-weather". */
export function baseName(name: string): string {
  return name.trim().toLowerCase().replace(/^@[^/]+\//, '').replace(/^plugin-/, '');
}

function queryTokens(query: string): string[] {
  const all = tokenize(query);
  const meaningful = all.filter((t) => !FILLER.has(t));
  // "plugin" alone is still a query; only drop filler when something else remains.
  return meaningful.length > 0 ? meaningful : all;
}

interface Prepared {
  entry: RegistryEntry;
  base: string;
  nameWords: Set<string>;
  topicWords: Set<string>;
  topicText: string;
  descriptionWords: Set<string>;
  descriptionText: string;
}

function prepare(entry: RegistryEntry): Prepared {
  const topicText = entry.topics.join(' ').toLowerCase();
  const descriptionText = entry.description.toLowerCase();
  return {
    entry,
    base: baseName(entry.name),
    nameWords: new Set(tokenize(entry.name)),
    topicWords: new Set(tokenize(topicText)),
    topicText,
    descriptionWords: new Set(tokenize(descriptionText)),
    descriptionText,
  };
}

function scoreEntry(p: Prepared, tokens: string[], joined: string): RegistrySearchHit | undefined {
  let score = 0;
  let matchedTokens = 0;
  const fields = new Set<RegistryMatchField>();
  if (p.base === joined || p.entry.name.toLowerCase() === joined) {
    score += WEIGHT.wholeName;
    fields.add('name');
  } else if (joined.length >= 3 && p.base.startsWith(joined)) {
    score += WEIGHT.nameStart;
    fields.add('name');
  }
  for (const token of tokens) {
    let tokenScore = 0;
    if (p.nameWords.has(token)) tokenScore += WEIGHT.nameWord;
    else if (token.length >= 3 && p.base.includes(token)) tokenScore += WEIGHT.namePart;
    if (tokenScore > 0) fields.add('name');

    let topicScore = 0;
    if (p.topicWords.has(token)) topicScore = WEIGHT.topicWord;
    else if (token.length >= 3 && p.topicText.includes(token)) topicScore = WEIGHT.topicPart;
    if (topicScore > 0) fields.add('topics');

    let descriptionScore = 0;
    if (p.descriptionWords.has(token)) descriptionScore = WEIGHT.descriptionWord;
    else if (token.length >= 4 && p.descriptionText.includes(token)) descriptionScore = WEIGHT.descriptionPart;
    if (descriptionScore > 0) fields.add('description');

    const total = tokenScore + topicScore + descriptionScore;
    if (total > 0) matchedTokens += 1;
    score += total;
  }
  if (score === 0) return undefined;
  if (tokens.length > 1 && matchedTokens === tokens.length) score += WEIGHT.everyWord;
  const order = REGISTRY_MATCH_FIELDS;
  return { entry: p.entry, score, matchedOn: order.filter((f) => fields.has(f)) };
}

/** Best first: score, then a 1.x release (what this runtime can load), then stars, then name. */
function compareHits(a: RegistrySearchHit, b: RegistrySearchHit): number {
  return (
    b.score - a.score ||
    Number(b.entry.supportsV1) - Number(a.entry.supportsV1) ||
    b.entry.stars - a.entry.stars ||
    a.entry.name.localeCompare(b.entry.name)
  );
}

/**
 * Ranks registry entries for a free-text query. Name matches outrank topic and description matches;
 * an empty query lists the most starred entries that have an ElizaOS 1.x release.
 */
export function searchRegistry(
  entries: readonly RegistryEntry[],
  query: string,
  options: RegistrySearchOptions = {},
): RegistrySearchHit[] {
  const limit = Math.max(0, Math.floor(options.limit ?? 10));
  const tokens = queryTokens(query);
  if (tokens.length === 0) {
    return entries
      .filter((entry) => entry.supportsV1)
      .map((entry): RegistrySearchHit => ({ entry, score: 0, matchedOn: [] }))
      .sort(compareHits)
      .slice(0, limit);
  }
  const joined = tokens.join('-');
  const hits: RegistrySearchHit[] = [];
  for (const entry of entries) {
    if (options.v1Only && !entry.supportsV1) continue;
    const hit = scoreEntry(prepare(entry), tokens, joined);
    if (hit) hits.push(hit);
  }
  return hits.sort(compareHits).slice(0, limit);
}
