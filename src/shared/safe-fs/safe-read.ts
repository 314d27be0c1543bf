import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { openDirectoryInside } from './held-directory.js';
import { componentsOf, unsafe } from './walk-inside.js';

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CHUNK_BYTES = 64 * 1024;

export interface SafeReadOptions {
  /** The most bytes read; a larger file is refused unread. */
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * The one way the agent reads a file sandboxed code could have shaped (a test report, a source):
 * no link followed on the way or at the file (O_NOFOLLOW), opened non-blocking so a FIFO in its
 * place cannot hang the job, checked to be a regular file no larger than the cap, and read in
 * chunks with the abort signal checked between them. Resolves undefined when the file is absent.
 */
export async function safeReadFile(root: string, relativePath: string, opts: SafeReadOptions): Promise<string | undefined> {
  opts.signal?.throwIfAborted();
  const parts = componentsOf(relativePath);
  const name = parts.pop() as string;
  let handle;
  try {
    // The folder is held open only while the file is opened in it: the file's descriptor is what is read.
    const dir = await openDirectoryInside(root, parts, { create: false });
    try {
      handle = await open(join(dir.path, name), READ_FLAGS);
    } finally {
      await dir.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw unsafe(relativePath, 'is a link', error);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw unsafe(relativePath, 'is not a regular file');
    if (info.size > opts.maxBytes) throw unsafe(relativePath, `is larger than ${opts.maxBytes} bytes`);
    const buffer = Buffer.alloc(Math.min(info.size, opts.maxBytes) + 1);
    let filled = 0;
    for (;;) {
      opts.signal?.throwIfAborted();
      const room = buffer.length - filled;
      if (room === 0) throw unsafe(relativePath, 'changed while it was read');
      const { bytesRead } = await handle.read(buffer, filled, Math.min(room, CHUNK_BYTES), null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled).toString('utf8');
  } finally {
    await handle.close();
  }
}
