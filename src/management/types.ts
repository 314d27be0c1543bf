import { z } from 'zod';
import type { ComponentSummarySchema, InstallSourceSchema, SettingDeclarationSchema } from './state/plugin-record.js';
import type { SignatureCheck } from './install/signature-check.js';

/** Shapes shared by the registry, installer, loader, state and service of plugin management. */

/** One plugin as the registry describes it, normalised from either registry file shape. */
export const RegistryEntrySchema = z.object({
  /** npm package name, e.g. "@elizaos/plugin-weather". */
  name: z.string(),
  description: z.string(),
  /** "owner/repo" on GitHub, when known. */
  repository: z.string().optional(),
  /** True when the registry says a release targets ElizaOS 1.x (`supports.v1` or `npm.v1`). */
  supportsV1: z.boolean(),
  /** The 1.x version the registry last saw on npm; may no longer exist there (resolve against npm). */
  npmV1Version: z.string().optional(),
  /** The 1.x branch on GitHub, when there is no npm release. */
  gitV1Branch: z.string().optional(),
  topics: z.array(z.string()),
  stars: z.number(),
});
export type RegistryEntry = z.output<typeof RegistryEntrySchema>;

/** Where a plugin comes from, parsed and validated from what the user typed. */
export type InstallSource = z.infer<typeof InstallSourceSchema>;

/** A setting a plugin reads with runtime.getSetting(name). */
export type SettingDeclaration = z.infer<typeof SettingDeclarationSchema>;

/** Names of what a plugin object declares, read without registering it. */
export type ComponentSummary = z.infer<typeof ComponentSummarySchema>;

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
  /** The npm registry's signatures on the installed packages, as checked at install. */
  signatures: SignatureCheck;
}
