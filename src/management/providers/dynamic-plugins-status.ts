import type { IAgentRuntime, Provider, ProviderResult } from '@elizaos/core';
import { pluginLine, trustLine } from '../actions/plugin-summary.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';

/** The installed plugins, their status, missing settings and last error; never a setting's value. */
export const dynamicPluginsStatusProvider: Provider = {
  name: 'dynamicPluginsStatus',
  description: 'Plugins installed at runtime: status, missing settings, last error.',
  get: async (runtime: IAgentRuntime): Promise<ProviderResult> => {
    const service = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
    const plugins = service?.list() ?? [];
    if (plugins.length === 0) return { text: '', values: { installedPluginCount: 0 }, data: { plugins: [] } };
    return {
      text: `# Plugins installed at runtime\n${plugins.map((p) => `- ${pluginLine(p)} [${trustLine(p)}, ${p.isolation}]`).join('\n')}`,
      values: {
        installedPluginCount: plugins.length,
        activePlugins: plugins.filter((p) => p.status === 'active').map((p) => p.packageName).join(', '),
      },
      data: { plugins },
    };
  },
};
