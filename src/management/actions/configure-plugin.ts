import type { IAgentRuntime, Memory } from '@elizaos/core';
import { codedError } from '../../errors.js';
import { settingPairs } from '../../shared/eliza/action-input.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { pluginLine } from './plugin-summary.js';
import { redactText } from '../secrets/redact.js';
import { PLUGIN_PARAMETER, targetPlugin } from './target-plugin.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';

const SAFER_WAY =
  'Chat messages are stored: the plugin-dynamic panel or `plugin-dynamic configure` is the safer way to give secrets.';

/**
 * Takes the secret values out of the stored chat message once they are kept encrypted, so the
 * conversation history (and every prompt built from it) no longer holds them. True when it did.
 */
async function redactStoredMessage(runtime: IAgentRuntime, message: Memory, secrets: string[]): Promise<boolean> {
  // Every value given as a secret, however short: the user named it a secret.
  const list = [...new Set(secrets.filter((v) => v !== ''))].sort((a, b) => b.length - a.length);
  const text = typeof message.content.text === 'string' ? message.content.text : '';
  const redacted = redactText(text, list);
  if (redacted === text || !message.id) return false;
  message.content = { ...message.content, text: redacted };
  return runtime.updateMemory({ id: message.id, content: message.content });
}

function settingValues(params: Record<string, unknown>, text: string): Record<string, string> {
  const given = params['settings'];
  if (given && typeof given === 'object' && !Array.isArray(given)) {
    return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)]));
  }
  return settingPairs(text);
}

export const configurePluginAction = serviceAction<PluginManagementService>({
  name: 'CONFIGURE_PLUGIN',
  similes: ['SET_PLUGIN_SETTING', 'configurePlugin', 'setPluginConfig'],
  description:
    'Store settings for an installed plugin (e.g. WEATHER_API_KEY=...). Secret values are encrypted and never shown again.',
  serviceType: PLUGIN_MANAGEMENT_SERVICE,
  parameters: {
    ...PLUGIN_PARAMETER,
    settings: { type: 'object', description: 'the settings to store, as { "NAME": "value" }' },
  },
  run: async ({ service, runtime, message, params, text, askModel }) => {
    const plugin = await targetPlugin(service.list(), params, text, 'configure', askModel);
    let values = settingValues(params, text);
    if (Object.keys(values).length === 0) values = settingValues(await askModel(['settings']), '');
    if (Object.keys(values).length === 0) {
      const view = service.get(plugin);
      const names = view.settings.map((s) => `${s.name}${s.required ? ' (required)' : ''}`);
      throw codedError('INVALID_INPUT', {
        input: `Which settings should I store for ${view.packageName}?`,
        problem: `Write them as NAME=value. Its settings: ${names.join(', ') || 'none'}.`,
      });
    }
    const view = await service.configure(plugin, values);
    const next = view.status === 'installed' ? ' It is ready to activate.' : '';
    const sensitive = new Set(view.settings.filter((s) => s.sensitive).map((s) => s.name));
    const secrets = Object.entries(values).filter(([name]) => sensitive.has(name)).map(([, value]) => value);
    const redacted = secrets.length > 0 && (await redactStoredMessage(runtime, message, secrets));
    const advice = secrets.length > 0 ? ` ${redacted ? 'I removed the secret from the stored message. ' : ''}${SAFER_WAY}` : '';
    return {
      text: `Stored ${Object.keys(values).join(', ')} for ${pluginLine(view)}.${next}${advice}`,
      data: { plugin: view, configured: Object.keys(values) },
    };
  },
});
