export { availablePluginsProvider } from './available-plugins.js';
export { dynamicPluginsStatusProvider } from './dynamic-plugins-status.js';
