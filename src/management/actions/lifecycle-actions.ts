import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import type { PluginView } from '../plugin-view.js';
import { pluginLine } from './plugin-summary.js';
import { PLUGIN_PARAMETER, targetPlugin } from './target-plugin.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';

type Verb = 'activate' | 'deactivate' | 'unload';

function lifecycleAction(name: string, similes: string[], verb: Verb, description: string) {
  return serviceAction<PluginManagementService>({
    name,
    similes,
    description,
    serviceType: PLUGIN_MANAGEMENT_SERVICE,
    parameters: PLUGIN_PARAMETER,
    run: async ({ service, params, text, askModel }) => {
      const plugin = await targetPlugin(service.list(), params, text, verb, askModel);
      const view: PluginView = await service[verb](plugin);
      return { text: `${pluginLine(view)}.`, data: { plugin: view } };
    },
  });
}

export const activatePluginAction = lifecycleAction(
  'ACTIVATE_PLUGIN',
  ['LOAD_PLUGIN', 'ENABLE_PLUGIN', 'activatePlugin', 'loadPlugin'],
  'activate',
  'Load an installed plugin into the running agent, without a restart.',
);

export const deactivatePluginAction = lifecycleAction(
  'DEACTIVATE_PLUGIN',
  ['DISABLE_PLUGIN', 'deactivatePlugin'],
  'deactivate',
  "Take a plugin's actions, providers and services out of the running agent; it can be activated again.",
);

export const unloadPluginAction = lifecycleAction(
  'UNLOAD_PLUGIN',
  ['unloadPlugin'],
  'unload',
  'Unload a plugin from the running agent and forget its module; the files stay installed.',
);
