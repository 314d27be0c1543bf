import semver from 'semver';
import { codedError, PluginDynamicError } from '../../errors.js';
import { coreRangeRefused } from '../registry/npm-v1-check.js';
import type { InstallSource, RegistryEntry } from '../types.js';
import { npmComplaint, runNpm, type NpmOptions } from '../../shared/npm/npm-client.js';

/** What `npm view name@version --json` says about one published version. */
export interface PublishedVersion {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

async function npmView(spec: string, opts: NpmOptions): Promise<unknown> {
  const result = await runNpm(['view', spec, '--json'], opts);
  if (!result.ok) {
    const complaint = npmComplaint(result);
    const missing = /E404|ETARGET|No match found|is not in this registry/i.test(complaint);
    throw missing
      ? codedError('PLUGIN_NOT_FOUND', { subject: spec, problem: 'is not on the npm registry.' })
      : codedError('INSTALL_FAILED', { subject: `npm view ${spec}`, problem: `failed: ${complaint}` });
  }
  try {
    return JSON.parse(result.stdout || 'null');
  } catch {
    throw codedError('INSTALL_FAILED', { subject: `npm view ${spec}`, problem: 'answered something that is not JSON.' });
  }
}

/** The exact version `name@range` means on npm, with its manifest (scripts, dependencies). */
export async function resolvePublished(name: string, range: string, opts: NpmOptions): Promise<PublishedVersion> {
  const view = await npmView(`${name}@${range}`, opts);
  // A range matching several versions answers with an array; npm installs the highest.
  const list = (Array.isArray(view) ? view : [view]) as PublishedVersion[];
  const best = list.filter((v) => v && typeof v.version === 'string').sort((a, b) => semver.rcompare(a.version, b.version))[0];
  if (!best) throw codedError('PLUGIN_NOT_FOUND', { subject: `No published version of ${name}`, problem: `matches ${range}.` });
  // The registry's 1.x flag is only a claim: a release built against core 0.x never loads here.
  const refused = coreRangeRefused(best);
  if (refused) throw codedError('INCOMPATIBLE_PLUGIN', { plugin: name, problem: `cannot be installed: ${refused}` });
  return best;
}

/**
 * A registry entry as something npm can install: the highest stable 1.x release on npm (the
 * registry's own version note is often stale), else its GitHub 1.x branch.
 */
export async function sourceForRegistryEntry(entry: RegistryEntry, opts: NpmOptions): Promise<InstallSource> {
  let versions: string[] = [];
  try {
    const view = await npmView(`${entry.name}`, opts).then((v) => (v as { versions?: string[] } | null)?.versions);
    versions = Array.isArray(view) ? view : [];
  } catch (error) {
    if (!(error instanceof PluginDynamicError) || error.code !== 'PLUGIN_NOT_FOUND') throw error;
  }
  const v1 = semver.maxSatisfying(versions, '>=1.0.0 <2.0.0');
  if (v1) return { kind: 'npm', name: entry.name, range: v1 };
  if (entry.supportsV1 && entry.repository && entry.gitV1Branch) {
    const [owner, repo] = entry.repository.split('/');
    if (owner && repo) return { kind: 'github', owner, repo, ref: entry.gitV1Branch };
  }
  throw codedError('INCOMPATIBLE_PLUGIN', {
    plugin: entry.name,
    problem: `has no ElizaOS 1.x release on npm${versions.length ? ` (published: ${versions.slice(-3).join(', ')})` : ''}`,
  });
}
