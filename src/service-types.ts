// The service types this plugin registers, added to core's registry so getServiceLoadPromise and
// friends accept them.
declare module '@elizaos/core' {
  interface ServiceTypeRegistry {
    PLUGIN_MANAGEMENT: 'plugin_management';
    PLUGIN_CREATION: 'plugin_creation';
  }
}

export const PLUGIN_MANAGEMENT_SERVICE = 'plugin_management';
export const PLUGIN_CREATION_SERVICE = 'plugin_creation';
