import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { pluginLine, trustLine } from './plugin-summary.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';

export const listInstalledPluginsAction = serviceAction<PluginManagementService>({
  name: 'LIST_INSTALLED_PLUGINS',
  similes: ['SHOW_INSTALLED_PLUGINS', 'listInstalledPlugins', 'getPluginStatus'],
  description: 'List the plugins installed through plugin-dynamic with their status and missing settings.',
  serviceType: PLUGIN_MANAGEMENT_SERVICE,
  parameters: {},
  run: async ({ service }) => {
    const plugins = service.list();
    return {
      text: plugins.length
        ? `Installed plugins:\n${plugins.map((p) => `${pluginLine(p)} [${trustLine(p)}, ${p.isolation}]`).join('\n')}`
        : 'No plugins are installed.',
      data: { plugins },
    };
  },
});
