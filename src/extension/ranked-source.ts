import type { PluginView } from '../management/plugin-view.js';

/*
 * Where self-extension looks for plugins that could serve a request. The registry is one source;
 * another (a fleet's store of plugins built by other agents) plugs in by implementing this
 * interface and being passed to the extension action (createExtendAction({ sources })): the
 * candidates of every source are merged by score and ranked together.
 */

/** One plugin a source could install for a request. */
export interface RankedCandidate {
  /** What INSTALL takes: a registry name (or another source's install string). */
  name: string;
  description: string;
  /** A release the source confirmed usable on ElizaOS 1.x, when it knows one. */
  version?: string;
  /** Keyword score, only comparable with other candidates of the same request. */
  score: number;
  /** Whether the request's words matched its name or topics (not only its prose). */
  strong: boolean;
  /** The source's name, shown in the offer ("registry", "fleet"). */
  source: string;
}

export interface RankedSource {
  readonly name: string;
  /**
   * At most `limit` candidates for the search words, best first, already checked for ElizaOS 1.x.
   * Throws when the source cannot be read at all (the caller goes on with the other sources).
   */
  candidates(words: string[], opts: { limit: number; signal?: AbortSignal }): Promise<RankedCandidate[]>;
  /**
   * Installs and loads one of its candidates (a fleet's stored build, say). Without it, the
   * candidate's name is installed like a registry name.
   */
  install?: (name: string, opts: { signal?: AbortSignal }) => Promise<PluginView>;
}

/** The candidates of every source, best first, one per name, at most `limit`. */
export function mergeCandidates(lists: RankedCandidate[][], limit: number): RankedCandidate[] {
  const best = new Map<string, RankedCandidate>();
  for (const c of lists.flat()) {
    const seen = best.get(c.name);
    if (!seen || c.score > seen.score) best.set(c.name, c);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).slice(0, limit);
}

const extraSources = new WeakMap<object, RankedSource[]>();

/**
 * Adds a ranked source for a runtime's self-extension (a fleet store calls this when its service
 * starts); the registry is always searched. At most 8 extra sources; one of the same name replaces
 * the earlier. Returns the function that takes it away again.
 */
export function registerRankedSource(runtime: object, source: RankedSource): () => void {
  const others = (extraSources.get(runtime) ?? []).filter((s) => s.name !== source.name);
  extraSources.set(runtime, [...others, source].slice(-8));
  return () => extraSources.set(runtime, (extraSources.get(runtime) ?? []).filter((s) => s !== source));
}

/** The extra sources registered for a runtime. */
export function rankedSourcesOf(runtime: object): RankedSource[] {
  return extraSources.get(runtime) ?? [];
}
