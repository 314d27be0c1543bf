import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { codedError } from '../../errors.js';

/** One entry of package-lock.json's `packages` (lockfile version 2 and 3). */
export interface LockedPackage {
  /** The package's real name, when its folder is an alias. */
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
}

export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
}

export const LOCKFILE = 'package-lock.json';

/** A git dependency pinned to a full commit hash is content-addressed even without `integrity`. */
const PINNED_GIT = /^git\+[^#]+#[0-9a-f]{40}$/;

/** The lockfile of an install folder; LOCKFILE_INVALID when it is missing or unreadable. */
export async function readLockfile(dir: string): Promise<Lockfile> {
  const file = join(dir, LOCKFILE);
  if (!existsSync(file)) {
    throw codedError('LOCKFILE_INVALID', { file, problem: 'is missing, so the installed packages cannot be checked or reinstalled.' });
  }
  let parsed: Partial<Lockfile>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Lockfile>;
  } catch (error) {
    throw codedError('LOCKFILE_INVALID', { file, problem: 'is not valid JSON.' }, { cause: error });
  }
  if (typeof parsed.lockfileVersion !== 'number' || parsed.lockfileVersion < 2 || typeof parsed.packages !== 'object' || parsed.packages === null) {
    throw codedError('LOCKFILE_INVALID', { file, problem: 'is not an npm lockfile of version 2 or later.' });
  }
  return { lockfileVersion: parsed.lockfileVersion, packages: parsed.packages };
}

/**
 * Entries whose bytes the lockfile does not pin: not the root, not a link (the host's core, the bun
 * stub) nor what a link points at (folders outside the install, checked by their own means).
 */
export function unpinnedPackages(lock: Lockfile): string[] {
  const linkTargets = Object.entries(lock.packages)
    .filter(([key, entry]) => key !== '' && entry.link === true && typeof entry.resolved === 'string')
    // A link's `resolved` is relative to the lockfile's folder, which is also how its target is keyed.
    .map(([, entry]) => posix.normalize(entry.resolved ?? ''));
  const underLink = (key: string): boolean => linkTargets.some((t) => key === t || key.startsWith(`${t}/`));
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key !== '' && entry.link !== true && !underLink(key))
    .filter(([, entry]) => !entry.integrity && !PINNED_GIT.test(entry.resolved ?? ''))
    .map(([key]) => key);
}

/** Reads the lockfile and refuses it when a package in it is not pinned by an integrity hash. */
export async function verifyLockfile(dir: string): Promise<Lockfile> {
  const lock = await readLockfile(dir);
  const unpinned = unpinnedPackages(lock);
  if (unpinned.length > 0) {
    const names = unpinned.slice(0, 5).map((key) => key.replace(/^.*node_modules\//, ''));
    throw codedError(
      'LOCKFILE_INVALID',
      {
        file: join(dir, LOCKFILE),
        problem: `records no integrity hash for ${names.join(', ')}${unpinned.length > 5 ? ` and ${unpinned.length - 5} more` : ''}, so a reinstall could not prove it gets the same bytes.`,
      },
      { details: { unpinned } },
    );
  }
  return lock;
}
