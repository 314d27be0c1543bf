import { codedError, type PluginDynamicError } from '../../errors.js';

/** "@elizaos/plugin-bootstrap", "plugin-bootstrap" and "bootstrap" all come to "bootstrap". */
function coreName(name: string): string {
  return name.toLowerCase().replace(/^@[^/]+\//, '').replace(/^plugin-/, '');
}

/**
 * The plugin the host registered at start that a package would be a second copy of, if any:
 * the host's plugin objects carry only their plugin name ("bootstrap", "@elizaos/plugin-sql"), so
 * names are compared without scope and "plugin-" prefix.
 */
export function hostPluginFor(packageName: string, hostPluginNames: Iterable<string>): string | undefined {
  const wanted = coreName(packageName);
  for (const name of hostPluginNames) if (coreName(name) === wanted) return name;
  return undefined;
}

export function protectedPluginError(packageName: string, hostPlugin: string): PluginDynamicError {
  return codedError('PROTECTED_PLUGIN', { plugin: packageName, as: ` as "${hostPlugin}"`, change: 'installed or managed' }, { details: { packageName, hostPlugin } });
}
