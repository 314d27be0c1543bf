import { stringParam } from '../../shared/eliza/action-input.js';
import { hasTextModel } from '../../shared/eliza/ask-model-params.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import type { NpmV1Check } from '../registry/index.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';
import { fleetMatches, fleetSearchText } from '../../fleet/fleet-search.js';

/** What npm confirmed of the entry's 1.x line, for a person choosing what to install. */
function npmNote(check: NpmV1Check | undefined): string {
  if (check?.status === 'verified') return ` (${check.version} on npm)`;
  return ' (unverified: npm is checked at install)';
}

const FILLER = /\b(search|find|look|for|list|show|available|plugins?|the|registry|in|me|a|an|any|please|can|you|that|which|what|are|there|do|does|with|about|to)\b/gi;

export const searchPluginsAction = serviceAction<PluginManagementService>({
  name: 'LIST_AVAILABLE_PLUGINS',
  similes: ['SEARCH_PLUGINS', 'FIND_PLUGINS', 'searchPlugins', 'listAvailablePlugins'],
  description: 'Search the ElizaOS plugin registry for plugins that work with this agent (ElizaOS 1.x).',
  serviceType: PLUGIN_MANAGEMENT_SERVICE,
  parameters: {
    query: { type: 'string', description: 'the words to search the plugin registry for (e.g. "weather")' },
    limit: { type: 'number', description: 'how many results to show (default 8)' },
  },
  examples: [
    [
      { name: '{{user}}', content: { text: 'Find me a weather plugin' } },
      { name: '{{agent}}', content: { text: 'Plugins for "weather":\n1. @elizaos/plugin-weather ...', actions: ['LIST_AVAILABLE_PLUGINS'] } },
    ],
  ],
  run: async ({ service, runtime, params, text, askModel }) => {
    const query =
      stringParam(params, 'query') ??
      (hasTextModel(runtime) ? (stringParam(await askModel(['query']), 'query') ?? '') : text.replace(FILLER, ' ').replace(/\s+/g, ' ').trim());
    const limit = typeof params['limit'] === 'number' ? Math.min(Math.max(1, params['limit']), 50) : 8;
    const answer = await service.search(query, { limit, v1Only: true });
    const lines = answer.hits.map(
      (h, i) => `${i + 1}. ${h.entry.name}${npmNote(h.npm)}${h.entry.description ? ` - ${h.entry.description}` : ''}`,
    );
    const header = query ? `Plugins for "${query}":` : 'Popular plugins:';
    const body = lines.length ? lines.join('\n') : 'No plugin in the registry matches.';
    const warning = `${answer.warning ? `\n(${answer.warning})` : ''}${hiddenNote(answer.hidden)}`;
    // On PostgreSQL, the plugins the fleet's agents created are offered too (installed as generated, isolated).
    const fleet = await fleetMatches(runtime, query, limit);
    const fleetText = fleet.length ? `\n${fleetSearchText(query, fleet)}` : '';
    return {
      text: `${header}\n${body}${warning}${fleetText}`,
      data: { query, origin: answer.origin, results: answer.hits.map((h) => h.entry), ...(fleet.length ? { fleet } : {}) },
    };
  },
});

/** How many matching entries were not offered because they have no usable 1.x release. */
function hiddenNote(hidden: number | undefined): string {
  if (!hidden) return '';
  return `\n${hidden} more registry ${hidden === 1 ? 'entry matches' : 'entries match'} but ${hidden === 1 ? 'has' : 'have'} no usable ElizaOS 1.x release, so ${hidden === 1 ? 'it is' : 'they are'} not offered.`;
}
