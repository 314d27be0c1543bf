import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { targetPlugin } from './target-plugin.js';

export const uninstallPluginAction = serviceAction<PluginManagementService>({
  name: 'UNINSTALL_PLUGIN',
  similes: ['REMOVE_PLUGIN', 'DELETE_PLUGIN', 'uninstallPlugin'],
  description: 'Unload a plugin if needed and remove its files and stored settings.',
  serviceType: 'plugin_management',
  run: async ({ service, params, text }) => {
    const plugin = targetPlugin(service.list(), params, text, 'uninstall');
    const result = await service.uninstall(plugin);
    return { text: `Uninstalled ${result.packageName}; its files and settings are gone.`, data: result };
  },
});
