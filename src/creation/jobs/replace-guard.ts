import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../../errors.js';
import type { PluginManagementService } from '../../management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';

/**
 * A job never replaces an installed plugin silently: only a plugin an earlier job made, and only
 * when the request says to replace it.
 */
export function refuseSilentReplace(runtime: IAgentRuntime, packageName: string, replace: boolean): void {
  const previous = runtime
    .getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)
    ?.list()
    .find((p) => p.packageName === packageName);
  if (!previous) return;
  if (previous.trust !== 'generated') {
    throw codedError('ALREADY_INSTALLED', { plugin: packageName, origin: ' and was not made by a creation job', advice: 'pick another name or uninstall it first' });
  }
  if (!replace) {
    throw codedError('ALREADY_INSTALLED', {
      plugin: `${packageName}@${previous.version}`,
      origin: ', made by an earlier job',
      advice: 'ask again with replace to replace it (it stays until the new one loads), or pick another name',
    });
  }
}
