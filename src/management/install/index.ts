export { PluginInstaller, installFolderName, type InstallerOptions } from './plugin-installer.js';
export { parseInstallSource, assertPackageName } from './parse-install-source.js';
export { readPluginManifest, declaredSettings, entryFile, type PluginManifest } from './plugin-manifest.js';
export { inspectPluginModule, type ModuleInspection } from './inspect-plugin-module.js';
export { checkInstallPolicy } from './install-policy.js';
export { declaredNetworkHosts, NETWORK_HOSTS_SETTING, type DeclaredNetworkHosts } from './declared-network-hosts.js';
