import type { Plugin } from '@elizaos/core';
import {
  activatePluginAction,
  configurePluginAction,
  deactivatePluginAction,
  installPluginAction,
  listInstalledPluginsAction,
  searchPluginsAction,
  uninstallPluginAction,
  unloadPluginAction,
} from './management/actions/index.js';
import { PluginManagementService } from './management/plugin-management-service.js';
import { availablePluginsProvider, dynamicPluginsStatusProvider } from './management/providers/index.js';

/** The ElizaOS plugin: manage plugins at runtime and create new ones. */
export const pluginDynamic: Plugin = {
  name: 'plugin-dynamic',
  description:
    'Lets the agent find, install, configure, load and unload plugins at runtime, and create new plugins that are built, linted, tested and reviewed before they load.',
  services: [PluginManagementService],
  actions: [
    searchPluginsAction,
    listInstalledPluginsAction,
    installPluginAction,
    configurePluginAction,
    activatePluginAction,
    deactivatePluginAction,
    unloadPluginAction,
    uninstallPluginAction,
  ],
  providers: [availablePluginsProvider, dynamicPluginsStatusProvider],
};

export default pluginDynamic;

export { PluginManagementService } from './management/plugin-management-service.js';
export type { PluginView } from './management/plugin-view.js';
export type { PluginStatus } from './management/state/plugin-status.js';
export type { InstallSource, RegistryEntry, SettingDeclaration } from './management/types.js';
export { ERROR_CATALOGUE, PluginDynamicError, isPluginDynamicError, type ErrorCode } from './errors.js';
export { loadConfig, SETTING_NAMES, type PluginDynamicConfig } from './config.js';
