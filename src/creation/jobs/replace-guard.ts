import type { IAgentRuntime } from '@elizaos/core';
import { PluginDynamicError } from '../../errors.js';
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
    throw new PluginDynamicError(
      'ALREADY_INSTALLED',
      `${packageName} is installed already and was not made by a creation job; pick another name or uninstall it first.`,
    );
  }
  if (!replace) {
    throw new PluginDynamicError(
      'ALREADY_INSTALLED',
      `${packageName}@${previous.version} was made by an earlier job; ask again with replace to replace it (it stays until the new one loads), or pick another name.`,
    );
  }
}
