import { randomBytes } from 'node:crypto';
import { lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceWithTempFile } from '../atomic-file.js';
import { openDirectoryInside } from './held-directory.js';
import { componentsOf, directoryInside, unsafe } from './walk-inside.js';

/**
 * The one way the agent writes into a folder that sandboxed code could shape (a job's workspace):
 * every folder on the way is opened relative to the one before, without following links, and held
 * open (openDirectoryInside), so the write cannot be redirected by a folder renamed or replaced with a
 * link meanwhile. The content goes to a fresh temp file created with O_EXCL|O_NOFOLLOW in that folder,
 * and a rename inside it puts it in place (replaceWithTempFile), which replaces a link at the name
 * instead of writing through it. A folder at the name is refused.
 */
export async function safeWriteFile(root: string, relativePath: string, content: string | Uint8Array): Promise<string> {
  const parts = componentsOf(relativePath);
  const name = parts.pop() as string;
  const dir = await openDirectoryInside(root, parts, { create: true });
  try {
    const target = join(dir.path, name);
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isDirectory()) throw unsafe(join(dir.logical, name), 'is a folder where a file is written');
    await replaceWithTempFile(join(dir.path, `.${name}.${randomBytes(6).toString('hex')}.tmp`), target, content);
    return join(dir.logical, name);
  } finally {
    await dir.close();
  }
}

/** Removes a file, link or folder inside the root; the folders on the way are opened like a write's. */
export async function safeRemove(root: string, relativePath: string): Promise<void> {
  const parts = componentsOf(relativePath);
  const name = parts.pop() as string;
  const dir = await openDirectoryInside(root, parts, { create: false }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!dir) return;
  try {
    // rm never follows a link: it removes the link itself, and walks folders with lstat.
    await rm(join(dir.path, name), { recursive: true, force: true });
  } finally {
    await dir.close();
  }
}

/**
 * A folder inside the root, made when missing; whatever else stands at its name (a link a test
 * left, a file) is removed first. Resolves its path under the root as given.
 */
export async function safeDirectory(root: string, relativePath: string): Promise<string> {
  const parts = componentsOf(relativePath);
  const parent = await directoryInside(root, parts.slice(0, -1), { create: true });
  const existing = await lstat(join(parent, parts.at(-1) as string)).catch(() => undefined);
  if (existing && !existing.isDirectory()) await rm(join(parent, parts.at(-1) as string), { recursive: true, force: true });
  await directoryInside(root, parts, { create: true });
  return join(root, ...parts);
}
