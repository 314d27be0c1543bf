import type { InstallOptions } from './install-options.js';
import type { PluginRecord, TrustTier } from './state/plugin-record.js';
import type { InstalledPackage, InstallSource } from './types.js';

/**
 * The record of a package just installed: `installed`, or `needs_configuration` when
 * `missingSettings` names a required setting without a value.
 */
export function newRecord(
  pkg: InstalledPackage,
  source: InstallSource,
  opts: InstallOptions,
  missingSettings: (record: PluginRecord) => string[],
): PluginRecord {
  const now = new Date().toISOString();
  // A package from the npm registry (a registry name, or name@range) is a registry plugin; a folder, a tarball or git is the user's own source.
  const trust: TrustTier = opts.trust ?? (source.kind === 'registry' || source.kind === 'npm' ? 'registry' : 'user-source');
  const record: PluginRecord = {
    packageName: pkg.packageName,
    pluginName: pkg.pluginName,
    version: pkg.version,
    source: opts.recordSource ?? source,
    trust,
    installDir: pkg.installDir,
    entry: pkg.entry,
    status: 'installed',
    settings: pkg.settings.map((s) => ({
      name: s.name,
      description: s.description,
      required: s.required,
      sensitive: s.sensitive,
      ...(s.defaultValue === undefined ? {} : { defaultValue: s.defaultValue }),
    })),
    components: pkg.components,
    installedAt: now,
    updatedAt: now,
    ...(pkg.unsandboxed ? { unsandboxedInstall: true as const } : {}),
    signatures: pkg.signatures,
  };
  return missingSettings(record).length > 0 ? { ...record, status: 'needs_configuration' } : record;
}
