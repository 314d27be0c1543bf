import type { PluginManagementService } from '../management/plugin-management-service.js';
import type { RankedCandidate, RankedSource } from './ranked-source.js';

/**
 * The ElizaOS registry as a ranked source: its cached copy searched by keyword, only entries npm
 * confirms have a usable 1.x release (the management service's verified search), and none that is
 * installed already.
 */
export function registrySource(management: PluginManagementService): RankedSource {
  return {
    name: 'registry',
    async candidates(words, opts) {
      if (words.length === 0) return [];
      const answer = await management.search(words.join(' '), { limit: opts.limit, v1Only: true, ...(opts.signal ? { signal: opts.signal } : {}) });
      const installed = new Set(management.list().map((p) => p.packageName));
      return answer.hits
        .filter((h) => !installed.has(h.entry.name))
        .map((h): RankedCandidate => ({
          name: h.entry.name,
          description: h.entry.description.slice(0, 300),
          ...(h.npm?.status === 'verified' ? { version: h.npm.version } : {}),
          score: h.score,
          strong: h.matchedOn.includes('name') || h.matchedOn.includes('topics'),
          source: 'registry',
        }));
    },
  };
}
