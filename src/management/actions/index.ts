export { searchPluginsAction } from './search-plugins.js';
export { listInstalledPluginsAction } from './list-installed-plugins.js';
export { installPluginAction } from './install-plugin.js';
export { configurePluginAction } from './configure-plugin.js';
export { activatePluginAction, deactivatePluginAction, unloadPluginAction } from './lifecycle-actions.js';
export { uninstallPluginAction } from './uninstall-plugin.js';
export { setPluginIsolationAction } from './set-plugin-isolation.js';
export { approvePluginAction } from './approve-plugin.js';
