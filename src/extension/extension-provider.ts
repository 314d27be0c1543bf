import type { IAgentRuntime, Memory, Provider, ProviderResult } from '@elizaos/core';
import type { PluginManagementService } from '../management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../service-types.js';
import { EXTEND_ACTION } from './extend-action.js';
import type { ExtensionOffer } from './extension-records.js';
import { extensionStore } from './extension-store.js';
import { optionPlugin } from './offer-text.js';

const NOTHING: ProviderResult = { text: '', values: {}, data: {} };

/**
 * Tells the model, in a few lines, what to do when no loaded action serves a request (choose
 * EXTEND_CAPABILITIES), and what is pending for this person in this room: an offer waiting for a
 * yes or no, or a plugin waiting for its settings. Silent when self-extension is off.
 */
export const selfExtensionProvider: Provider = {
  name: 'selfExtension',
  description: 'What the agent can do when it lacks a capability: find or write a plugin, after asking.',
  position: 90,
  get: async (runtime: IAgentRuntime, message: Memory): Promise<ProviderResult> => {
    const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
    if (!management?.settings.selfExtension) return NOTHING;
    const lines = [
      '# When no action can do what is asked',
      `If the user asks for something none of the available actions can do (data, a service or a tool you lack), choose ${EXTEND_ACTION}: it finds a plugin or writes one and asks the user before installing anything. Never ask for API keys or other secrets in chat.`,
    ];
    const { offered, awaiting } = await extensionStore(runtime)
      .offersFor(message.roomId, message.entityId)
      .catch((): { offered?: ExtensionOffer; awaiting?: ExtensionOffer } => ({}));
    if (offered) {
      lines.push(`This user has an open offer (${offered.options.map((o) => `${o.kind} ${optionPlugin(o)}`).join(' or ')}) for "${offered.request.slice(0, 120)}": their yes, no or choice of option goes to ${EXTEND_ACTION}.`);
    }
    if (awaiting) {
      lines.push(`${awaiting.plugin ?? 'A plugin'} waits for ${awaiting.missing?.join(', ') ?? 'its settings'} to answer "${awaiting.request.slice(0, 120)}": when the user says they are set, choose ${EXTEND_ACTION}.`);
    }
    return { text: lines.join('\n'), values: { selfExtension: true }, data: { pendingOffer: offered?.id ?? null, awaitingSettings: awaiting?.plugin ?? null } };
  },
};
