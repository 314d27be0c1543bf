import { join } from 'node:path';
import { hashTree } from '../../shared/tree-hash.js';
import { readLockfile } from '../install/lockfile.js';
import { readPluginManifest } from '../install/plugin-manifest.js';
import type { PluginRecord } from '../state/plugin-record.js';
import { readDeclaredPermissions, type DeclaredPermissions } from './plugin-permissions.js';

/** What an approval is bound to, read from the installed files (never from the stored record). */
export interface InstalledContent extends DeclaredPermissions {
  digest: string;
  version: string;
}

type Installed = Pick<PluginRecord, 'packageName' | 'installDir'>;

/**
 * The package's integrity digest as its install recorded it: the `integrity` npm wrote into the
 * install folder's lockfile for the package itself (the hash of the tarball it was installed from:
 * a registry release, a packed folder, a tarball, a GitHub archive). A lockfile without one for the
 * package (never written by this installer, which refuses unpinned packages) falls back to a hash of
 * the package's files.
 */
export async function installedDigest(record: Installed): Promise<string> {
  const lock = await readLockfile(record.installDir);
  const integrity = lock.packages[`node_modules/${record.packageName}`]?.integrity;
  if (typeof integrity === 'string' && integrity.length > 0) return integrity.split(/\s+/)[0] ?? integrity;
  const tree = await hashTree(join(record.installDir, 'node_modules', record.packageName));
  return `tree-sha256-${tree.sha256}`;
}

/** The installed package's digest, version and declared permissions (package.json `agentConfig.permissions`). */
export async function installedContent(record: Installed): Promise<InstalledContent> {
  const manifest = await readPluginManifest(join(record.installDir, 'node_modules', record.packageName));
  return { ...readDeclaredPermissions(manifest.agentConfig), digest: await installedDigest(record), version: manifest.version };
}
