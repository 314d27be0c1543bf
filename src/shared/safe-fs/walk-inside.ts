import { constants } from 'node:fs';
import { mkdir, open, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { codedError, PluginDynamicError } from '../../errors.js';
import { isInside } from '../paths.js';

export const DIRECTORY_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** The path's components under the root, refused when one is empty, ".", ".." or holds a NUL. */
export function componentsOf(relativePath: string): string[] {
  const parts = relativePath.split(/[\\/]/);
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) {
    throw codedError('PATH_OUTSIDE_ALLOWED', { path: relativePath, root: 'the folder', reason: 'it is not a plain relative path' });
  }
  return parts;
}

export function unsafe(what: string, why: string, cause?: unknown): PluginDynamicError {
  return codedError('UNSAFE_WORKSPACE_FILE', { path: what, problem: why, action: 'follow' }, cause === undefined ? undefined : { cause });
}

/**
 * Walks from a trusted root down to the folder `directories` names, opening every component with
 * O_NOFOLLOW|O_DIRECTORY: a link anywhere on the way (or a file where a folder should be) is refused
 * instead of followed. With `create`, missing folders are made one by one (mkdir never follows a link
 * at its last component). Returns the folder's path, which holds no link below the root.
 */
export async function directoryInside(root: string, directories: string[], opts: { create: boolean }): Promise<string> {
  const realRoot = await realpath(root);
  let current = realRoot;
  for (const name of directories) {
    current = join(current, name);
    if (opts.create) {
      await mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
    }
    let handle;
    try {
      handle = await open(current, DIRECTORY_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'ENOTDIR') throw unsafe(current, 'is a link or not a folder', error);
      throw error;
    }
    await handle.close();
  }
  // No component was a link, so this holds; checked anyway, as the last word before any write.
  if (!isInside(realRoot, current)) {
    throw codedError('PATH_OUTSIDE_ALLOWED', { path: current, root: realRoot, reason: 'through a link' });
  }
  return current;
}
