export { pluginCreationStatusProvider } from './creation-status.js';
export { pluginCreationCapabilitiesProvider } from './creation-capabilities.js';
