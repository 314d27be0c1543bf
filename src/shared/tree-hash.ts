import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codedError } from '../errors.js';

/**
 * Every regular file under a folder, as relative "/"-separated paths, sorted. A link or anything but
 * a regular file or folder in the tree is refused (UNSAFE_WORKSPACE_FILE), never followed.
 */
export async function listTree(dir: string, action = 'list'): Promise<string[]> {
  const paths: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(dir, relative), { withFileTypes: true });
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) paths.push(path);
      else throw codedError('UNSAFE_WORKSPACE_FILE', { path: join(dir, path), problem: 'is not a regular file or folder', action });
    }
  };
  await walk('');
  return paths.sort();
}

/**
 * sha256 over a folder's files: each file's path (relative, "/"-separated, sorted), its size and its
 * bytes. A link or anything but a regular file or folder in the tree is refused, so the hash always
 * names exactly the bytes that would be loaded.
 */
export async function hashTree(dir: string): Promise<{ sha256: string; files: number }> {
  const paths = await listTree(dir, 'hash');
  const hash = createHash('sha256');
  for (const path of paths) {
    const full = join(dir, path);
    if (!(await lstat(full)).isFile()) throw codedError('UNSAFE_WORKSPACE_FILE', { path: full, problem: 'changed while it was hashed', action: 'hash' });
    const bytes = await readFile(full);
    hash.update(`${path}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return { sha256: hash.digest('hex'), files: paths.length };
}
