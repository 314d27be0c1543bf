import { codedError, type PluginDynamicError } from '../../errors.js';

/** "@elizaos/plugin-bootstrap", "plugin-bootstrap" and "bootstrap" all come to "bootstrap". */
function coreName(name: string): string {
  return name.toLowerCase().replace(/^@[^/]+\//, '').replace(/^plugin-/, '');
}

/**
 * The plugin the agent registered at start that a package would be a second copy of, if any:
 * the agent's plugin objects carry only their plugin name ("bootstrap", "@elizaos/plugin-sql"), so
 * names are compared without scope and "plugin-" prefix.
 */
export function agentPluginFor(packageName: string, agentPluginNames: Iterable<string>): string | undefined {
  const wanted = coreName(packageName);
  for (const name of agentPluginNames) if (coreName(name) === wanted) return name;
  return undefined;
}

/** The name this guard had when the agent was called the host. */
export const hostPluginFor = agentPluginFor;

export function protectedPluginError(packageName: string, agentPlugin: string): PluginDynamicError {
  return codedError('PROTECTED_PLUGIN', { plugin: packageName, as: ` as "${agentPlugin}"`, change: 'installed or managed' }, { details: { packageName, hostPlugin: agentPlugin } });
}
