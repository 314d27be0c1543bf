import { existsSync } from 'node:fs';
import { mkdir, open, realpath, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DIRECTORY_FLAGS, directoryInside, unsafe } from './walk-inside.js';

/*
 * Node has no openat(2)/renameat(2). On Linux, /proc/self/fd/<fd> names the very folder a descriptor
 * holds, whatever happens to its path afterwards, so "/proc/self/fd/<fd>/<name>" is openat(fd, name):
 * each folder is opened relative to its parent's descriptor with O_NOFOLLOW|O_DIRECTORY, and the write
 * that follows happens relative to the last one. A process that renames a folder on the way, or puts a
 * link where it stood, between the walk and the write, cannot redirect the write: it lands in the
 * folder that was checked.
 */

const PROC_FD = '/proc/self/fd';

export interface HeldDirectory {
  /** A path naming the opened folder itself (its descriptor's), for the operations done inside it. */
  readonly path: string;
  /** The folder's path as walked under the root, for messages and answers. */
  readonly logical: string;
  close(): Promise<void>;
}

async function openChild(parent: FileHandle, name: string, shown: string, create: boolean): Promise<FileHandle> {
  const path = join(PROC_FD, String(parent.fd), name);
  if (create) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  try {
    return await open(path, DIRECTORY_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENOTDIR') throw unsafe(shown, 'is a link or not a folder', error);
    throw error;
  }
}

/**
 * Opens the folder `directories` names under `root`, each component relative to the one before it,
 * none through a link, and holds it open until close(). Without /proc (not Linux) it falls back to
 * the checked path walk (directoryInside), where nothing runs sandboxed anyway.
 */
export async function openDirectoryInside(root: string, directories: string[], opts: { create: boolean }): Promise<HeldDirectory> {
  if (!existsSync(PROC_FD)) {
    const path = await directoryInside(root, directories, opts);
    return { path, logical: path, close: async () => undefined };
  }
  const realRoot = await realpath(root);
  let handle = await open(realRoot, DIRECTORY_FLAGS);
  let logical = realRoot;
  try {
    for (const name of directories) {
      logical = join(logical, name);
      const child = await openChild(handle, name, logical, opts.create);
      await handle.close();
      handle = child;
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  const held = handle;
  return { path: join(PROC_FD, String(held.fd)), logical, close: () => held.close() };
}
