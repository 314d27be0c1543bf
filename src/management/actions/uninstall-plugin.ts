import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { PLUGIN_PARAMETER, targetPlugin } from './target-plugin.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';

export const uninstallPluginAction = serviceAction<PluginManagementService>({
  name: 'UNINSTALL_PLUGIN',
  similes: ['REMOVE_PLUGIN', 'DELETE_PLUGIN', 'uninstallPlugin'],
  description: 'Unload a plugin if needed and remove its files and stored settings.',
  serviceType: PLUGIN_MANAGEMENT_SERVICE,
  parameters: PLUGIN_PARAMETER,
  run: async ({ service, params, text, askModel }) => {
    const plugin = await targetPlugin(service.list(), params, text, 'uninstall', askModel);
    const result = await service.uninstall(plugin);
    return { text: `Uninstalled ${result.packageName}; its files and settings are gone.`, data: result };
  },
});
