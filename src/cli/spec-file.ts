import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { codedError } from '../errors.js';
import { PACKAGE_ROOT } from './package-root.js';

/**
 * A specification file: relative to the working folder, or else to the package itself, so the
 * shipped `examples/notes.json` works from anywhere once the package is installed.
 */
export function resolveSpecPath(path: string, cwd = process.cwd()): string {
  const here = resolve(cwd, path);
  if (existsSync(here) || isAbsolute(path)) return here;
  const shipped = join(PACKAGE_ROOT, path);
  return existsSync(shipped) ? shipped : here;
}

/** Reads the JSON; what it must contain is checked by the creation service's schema. */
export async function readSpecFile(path: string): Promise<unknown> {
  const file = resolveSpecPath(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw codedError('INVALID_SPEC', { action: 'read', spec: file, problem: (error as NodeJS.ErrnoException).code ?? 'error' }, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw codedError('INVALID_SPEC', { action: 'parse', spec: file, problem: `not JSON: ${(error as Error).message}` }, { cause: error });
  }
}
