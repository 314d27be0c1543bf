import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A fresh temp file: never an existing file, never through a link at its name. */
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes `data` to the new file `temp`, flushes it, then renames it over `target`, so readers see
 * the old content or the new one, never a torn mix (a link at `target` is replaced, not followed).
 * The temp file is removed when the rename fails.
 */
export async function replaceWithTempFile(temp: string, target: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const handle = await open(temp, TEMP_FLAGS, mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes a file so that readers see the old content or the new one, never a torn mix. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await replaceWithTempFile(`${path}.${randomBytes(6).toString('hex')}.tmp`, path, data, options.mode ?? 0o644);
}
