import type { PluginView } from '../plugin-view.js';

/** Its trust tier and what the install found of the registry's signatures, shown together everywhere. */
export function trustLine(p: Pick<PluginView, 'trust' | 'signature'>): string {
  return `${p.trust}, ${p.signature}`;
}

/** One readable line about an installed plugin; never a setting's value. */
export function pluginLine(p: PluginView): string {
  const missing = p.missingSettings.length ? `, needs ${p.missingSettings.join(', ')}` : '';
  const error = p.status === 'error' && p.lastError ? `, last error: ${p.lastError.message}` : '';
  const unsandboxed = p.unsandboxedInstall ? ', installed without a sandbox (PLUGIN_DYNAMIC_SANDBOX=none)' : '';
  return `${p.packageName}@${p.version}: ${p.status}${missing}${error}${unsandboxed}`;
}
