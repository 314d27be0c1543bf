import type { DeclaredPermissions, PluginPermissions } from './plugin-permissions.js';

export interface EffectivePermissionsInput {
  /** What the plugin's package.json declares (readDeclaredPermissions). */
  declared: DeclaredPermissions;
  /** The hosts it may reach after the agent's own setting had its say (declaredNetworkHosts). */
  networkHosts: readonly string[];
}

/**
 * What an isolated plugin may do in this activation: what it declared, with the network as the
 * agent's setting leaves it. Nothing beyond the declaration is ever added here; an approval narrows
 * it further. The agent's own bounds (PLUGIN_DYNAMIC_PLUGIN_STORAGE_MB, PLUGIN_DYNAMIC_HOST_MAX_MODEL_CALLS)
 * apply on top where they are enforced (storage-quota.ts, plugin-budgets.ts).
 */
export function effectivePermissions(input: EffectivePermissionsInput): PluginPermissions {
  return { ...input.declared.permissions, network: [...input.networkHosts] };
}
