import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATE_RUNTIME_DIR } from '../../../shared/package-paths.js';

/*
 * The recipes' code is ordinary TypeScript in ./runtime/, type-checked, linted and unit-tested with
 * plugin-dynamic itself, and copied as it is into each generated plugin. From the built package
 * (dist/) it is read from the shipped sources.
 */

export type RuntimeFile = 'reply' | 'params' | 'when' | 'records' | 'units' | 'random' | 'clock' | 'http' | 'text-transforms' | 'schedule' | 'scaffold' | 'monitor';

/** What each file imports from the others, so a plugin gets exactly the files it needs. */
const NEEDS: Record<RuntimeFile, RuntimeFile[]> = {
  reply: [],
  when: [],
  params: ['reply', 'when'],
  records: ['reply'],
  units: ['reply'],
  random: ['reply', 'params'],
  clock: ['reply'],
  http: ['reply'],
  'text-transforms': ['reply'],
  schedule: ['reply', 'when'],
  scaffold: ['reply'],
  monitor: [],
};

const cache = new Map<RuntimeFile, string>();

function read(name: RuntimeFile): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const candidates = [join(TEMPLATE_RUNTIME_DIR, `${name}.ts`)];
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`The recipe source runtime/${name}.ts is missing from plugin-dynamic's package.`);
  const text = readFileSync(path, 'utf8');
  cache.set(name, text);
  return text;
}

/** The recipe files a plugin needs (with what they import), as src/<name>.ts. */
export function runtimeFiles(wanted: Iterable<RuntimeFile>): { path: string; content: string }[] {
  const all = new Set<RuntimeFile>();
  const add = (f: RuntimeFile): void => {
    if (all.has(f)) return;
    all.add(f);
    NEEDS[f].forEach(add);
  };
  for (const f of wanted) add(f);
  return [...all].sort().map((f) => ({ path: `src/${f}.ts`, content: read(f) }));
}
