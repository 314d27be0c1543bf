/** Shapes shared by the registry, installer, loader, state and service of plugin management. */

/** One plugin as the registry describes it, normalised from either registry file shape. */
export interface RegistryEntry {
  /** npm package name, e.g. "@elizaos/plugin-weather". */
  name: string;
  description: string;
  /** "owner/repo" on GitHub, when known. */
  repository: string | undefined;
  /** True when the registry says a release targets ElizaOS 1.x (`supports.v1` or `npm.v1`). */
  supportsV1: boolean;
  /** The 1.x version the registry last saw on npm; may no longer exist there (resolve against npm). */
  npmV1Version: string | undefined;
  /** The 1.x branch on GitHub, when there is no npm release. */
  gitV1Branch: string | undefined;
  topics: string[];
  stars: number;
}

/** Where a plugin comes from, parsed and validated from what the user typed. */
export type InstallSource =
  | { kind: 'registry'; name: string }
  | { kind: 'npm'; name: string; range: string }
  | { kind: 'github'; owner: string; repo: string; ref: string | undefined }
  | { kind: 'folder'; path: string }
  | { kind: 'tarball'; path: string };

/** A setting a plugin reads with runtime.getSetting(name). */
export interface SettingDeclaration {
  name: string;
  description: string;
  required: boolean;
  /** From the declaration, or because the name looks like a key, token, password or secret. */
  sensitive: boolean;
  defaultValue: string | undefined;
}

/** Names of what a plugin object declares, read without registering it. */
export interface ComponentSummary {
  actions: string[];
  providers: string[];
  evaluators: string[];
  services: string[];
  routes: string[];
  models: string[];
  events: string[];
}

/** A plugin package on disk after a successful install. */
export interface InstalledPackage {
  /** The package name from its package.json. */
  packageName: string;
  /** The `name` field of the Plugin object it exports (what runtime.plugins holds). */
  pluginName: string;
  version: string;
  /** Folder that holds this install (removed on uninstall). */
  installDir: string;
  /** Absolute path of the module to import. */
  entry: string;
  settings: SettingDeclaration[];
  components: ComponentSummary;
  source: InstallSource;
  /** True when npm and the import check ran without a sandbox (only under PLUGIN_DYNAMIC_SANDBOX=none). */
  unsandboxed: boolean;
}
