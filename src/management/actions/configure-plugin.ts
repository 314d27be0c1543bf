import { PluginDynamicError } from '../../errors.js';
import { settingPairs } from '../../shared/eliza/action-input.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { pluginLine } from './plugin-summary.js';
import { PLUGIN_PARAMETER, targetPlugin } from './target-plugin.js';

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
  serviceType: 'plugin_management',
  parameters: {
    ...PLUGIN_PARAMETER,
    settings: { type: 'object', description: 'the settings to store, as { "NAME": "value" }' },
  },
  run: async ({ service, params, text, askModel }) => {
    const plugin = await targetPlugin(service.list(), params, text, 'configure', askModel);
    let values = settingValues(params, text);
    if (Object.keys(values).length === 0) values = settingValues(await askModel(['settings']), '');
    if (Object.keys(values).length === 0) {
      const view = service.get(plugin);
      const names = view.settings.map((s) => `${s.name}${s.required ? ' (required)' : ''}`);
      throw new PluginDynamicError(
        'INVALID_INPUT',
        `Which settings should I store for ${view.packageName}? Write them as NAME=value. Its settings: ${names.join(', ') || 'none'}.`,
      );
    }
    const view = await service.configure(plugin, values);
    const next = view.status === 'installed' ? ' It is ready to activate.' : '';
    return {
      text: `Stored ${Object.keys(values).join(', ')} for ${pluginLine(view)}.${next}`,
      data: { plugin: view, configured: Object.keys(values) },
    };
  },
});
