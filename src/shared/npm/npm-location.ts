import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** Where npm lives: its package folder (bound read-only in the sandbox) and its CLI script. */
export interface NpmLocation {
  dir: string;
  cli: string;
}

function packageDirOf(file: string): string | undefined {
  let dir = dirname(file);
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'npm') return dir;
      } catch {
        // Not a readable manifest: keep walking up.
      }
    }
    dir = dirname(dir);
  }
  return undefined;
}

function locationAt(dir: string | undefined): NpmLocation | undefined {
  if (!dir) return undefined;
  const cli = join(dir, 'bin', 'npm-cli.js');
  return existsSync(cli) ? { dir, cli } : undefined;
}

let cached: NpmLocation | null | undefined;

/**
 * The npm that `npm` on PATH runs (a link into its package folder), else the one installed next to
 * the Node children run on. Undefined when neither is found: the caller then runs `npm` by name.
 */
export function findNpm(nodePath: string = process.execPath): NpmLocation | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const onPath = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'npm'))
    .filter((file) => existsSync(file));
  const candidates = [
    ...onPath.map((file) => () => packageDirOf(realpathSync(file))),
    () => join(dirname(nodePath), '..', 'lib', 'node_modules', 'npm'),
    () => '/usr/lib/node_modules/npm',
  ];
  for (const candidate of candidates) {
    let found: NpmLocation | undefined;
    try {
      found = locationAt(candidate());
    } catch {
      found = undefined;
    }
    if (found) {
      cached = { dir: realpathSync(found.dir), cli: realpathSync(found.cli) };
      return cached;
    }
  }
  cached = null;
  return undefined;
}
