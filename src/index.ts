import './service-types.js';
import type { Plugin } from '@elizaos/core';
import {
  cancelPluginCreationAction,
  checkPluginCreationStatusAction,
  createPluginAction,
  createPluginFromDescriptionAction,
  listPluginCreationJobsAction,
} from './creation/actions/index.js';
import { PluginCreationService } from './creation/plugin-creation-service.js';
import {
  pluginCreationCapabilitiesProvider,
  pluginCreationStatusProvider,
} from './creation/providers/index.js';
import { extendCapabilitiesAction, selfExtensionProvider } from './extension/index.js';
import { pluginDynamicRoutes } from './http/routes.js';
import { lockAgentDataDir } from './shared/agent-lock.js';
import { loadConfig } from './config.js';
import {
  activatePluginAction,
  approvePluginAction,
  configurePluginAction,
  deactivatePluginAction,
  installPluginAction,
  listInstalledPluginsAction,
  searchPluginsAction,
  setPluginIsolationAction,
  uninstallPluginAction,
  unloadPluginAction,
} from './management/actions/index.js';
import { PluginManagementService } from './management/plugin-management-service.js';
import { registerWebChatSend } from './management/web-chat-send.js';
import { availablePluginsProvider, dynamicPluginsStatusProvider } from './management/providers/index.js';

/** The ElizaOS plugin: manage plugins at runtime and create new ones. */
export const pluginDynamic: Plugin = {
  name: 'plugin-dynamic',
  description:
    'Lets the agent find, install, configure, load and unload plugins at runtime, and create new plugins that are built, linted, tested and reviewed before they load.',
  // One state per data folder: the agent marks it as its own, so the headless CLI refuses it.
  init: async (_config, runtime) => {
    // Posts (a fired reminder) reach the web client's chat; a handler another plugin registered is kept.
    registerWebChatSend(runtime);
    let dataDir: string;
    try {
      dataDir = loadConfig((key) => runtime.getSetting(key) ?? process.env[key]).dataDir;
    } catch {
      return; // an invalid setting: the services report it when they start
    }
    await lockAgentDataDir(runtime, dataDir);
  },
  // Management first: creation installs its results through it.
  services: [PluginManagementService, PluginCreationService],
  actions: [
    searchPluginsAction,
    listInstalledPluginsAction,
    installPluginAction,
    configurePluginAction,
    activatePluginAction,
    deactivatePluginAction,
    unloadPluginAction,
    uninstallPluginAction,
    setPluginIsolationAction,
    approvePluginAction,
    createPluginAction,
    createPluginFromDescriptionAction,
    checkPluginCreationStatusAction,
    cancelPluginCreationAction,
    listPluginCreationJobsAction,
    extendCapabilitiesAction,
  ],
  providers: [
    availablePluginsProvider,
    dynamicPluginsStatusProvider,
    pluginCreationStatusProvider,
    pluginCreationCapabilitiesProvider,
    selfExtensionProvider,
  ],
  routes: pluginDynamicRoutes,
};

export default pluginDynamic;

export { PluginManagementService } from './management/plugin-management-service.js';
export { PluginCreationService } from './creation/plugin-creation-service.js';
export type { PluginView } from './management/plugin-view.js';
export type { PluginStatus } from './management/state/plugin-status.js';
export type { InstallSource, RegistryEntry, SettingDeclaration } from './management/types.js';
export type { JobRecord } from './creation/jobs/job-record.js';
export type { JobStatus, JobPhase } from './creation/jobs/job-status.js';
export type { PluginSpec } from './creation/spec/plugin-spec.js';
export { ERROR_CATALOGUE, PluginDynamicError, isPluginDynamicError, type ErrorCode } from './errors.js';
export { loadConfig, SETTING_NAMES, type PluginDynamicConfig } from './config.js';
export { NARROW_RUNTIME_CONTRACT } from './shared/narrow-runtime/narrow-runtime-contract.js';
export type { IsolationMode, IsolationPolicy } from './management/host/isolation.js';
export { registerRankedSource, setPermissionApproval, type RankedCandidate, type RankedSource, type PermissionApproval, type PermissionGrant } from './extension/index.js';
