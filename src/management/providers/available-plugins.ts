import type { IAgentRuntime, Memory, Provider, ProviderResult } from '@elizaos/core';
import type { PluginManagementService } from '../plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';

const ABOUT_PLUGINS = /\b(plugins?|install|extension|integration|capabilit(y|ies)|add support)\b/i;
const FILLER = /\b(plugins?|install|please|can|you|a|an|the|for|me|i|need|want|some|add|support|find|search)\b/gi;

/** A short list of registry plugins relevant to what is being discussed; silent otherwise. */
export const availablePluginsProvider: Provider = {
  name: 'availablePlugins',
  description: 'Registry plugins (ElizaOS 1.x) that match the current conversation about plugins.',
  get: async (runtime: IAgentRuntime, message: Memory): Promise<ProviderResult> => {
    const service = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
    const text = typeof message.content.text === 'string' ? message.content.text : '';
    if (!service || !ABOUT_PLUGINS.test(text)) return { text: '', values: {}, data: {} };
    const query = text.replace(FILLER, ' ').replace(/\s+/g, ' ').trim();
    // An unreachable registry offers nothing here; the search action says why when asked.
    const answer = await service.search(query, { limit: 5, v1Only: true, verify: 'cached' }).catch(() => undefined);
    if (!answer) return { text: '', values: {}, data: { origin: 'none' } };
    if (answer.hits.length === 0) return { text: '', values: {}, data: { origin: answer.origin } };
    const lines = answer.hits.map(
      (h) => `- ${h.entry.name}: ${h.entry.description}`,
    );
    return {
      text: `# Plugins available in the registry\n${lines.join('\n')}`,
      values: { availablePlugins: answer.hits.map((h) => h.entry.name).join(', ') },
      data: { plugins: answer.hits.map((h) => h.entry), origin: answer.origin },
    };
  },
};
