import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { codedError } from '../errors.js';

/** True when `child` is `root` or lies beneath it (purely lexical). */
export function isInside(root: string, child: string): boolean {
  const rel = relative(resolve(root), resolve(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** Joins `relativePath` under `root`, refusing anything that would land outside it. */
export function resolveInside(root: string, relativePath: string): string {
  if (relativePath.includes('\0')) {
    throw codedError('PATH_OUTSIDE_ALLOWED', { path: relativePath.replaceAll('\0', '\\0'), root, reason: 'it contains a NUL character' });
  }
  const target = resolve(root, relativePath);
  if (!isInside(root, target)) {
    throw codedError('PATH_OUTSIDE_ALLOWED', { path: relativePath, root, reason: 'by its own path' });
  }
  return target;
}

/** Like resolveInside, but also follows links on disk: a symlink pointing out is refused. */
export async function realpathInside(root: string, path: string): Promise<string> {
  const realRoot = await realpath(root);
  const real = await realpath(path);
  if (!isInside(realRoot, real)) {
    throw codedError('PATH_OUTSIDE_ALLOWED', { path, root, reason: 'once its links are followed' });
  }
  return real;
}
