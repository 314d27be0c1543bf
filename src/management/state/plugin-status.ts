import { defineLifecycle } from '../../shared/lifecycle.js';

/**
 * The one status vocabulary of an installed plugin.
 *
 * - `installed`: on disk, never loaded or unloaded (module forgotten).
 * - `needs_configuration`: on disk, a required setting is unset; it will not load.
 * - `active`: registered in the live runtime.
 * - `inactive`: was active, taken out of the runtime; the module is still cached.
 * - `error`: the last load failed and was rolled back; `lastError` says why.
 */
export const PLUGIN_STATUSES = ['installed', 'needs_configuration', 'active', 'inactive', 'error'] as const;
export type PluginStatus = (typeof PLUGIN_STATUSES)[number];

export const pluginLifecycle = defineLifecycle<PluginStatus>({
  installed: ['active', 'needs_configuration', 'error'],
  needs_configuration: ['installed'],
  active: ['inactive', 'installed', 'error'],
  inactive: ['active', 'installed', 'needs_configuration', 'error'],
  error: ['active', 'installed', 'needs_configuration', 'error'],
});
