import { posix } from 'node:path';
import type { Diagnostic } from '../../steps/index.js';
import type { ParsedFile } from './parse-model-files.js';

/** Why a file is in a repair prompt, closest first; `unrelated` files go first when room runs out. */
export type Relation = 'named' | 'neighbour' | 'test' | 'unrelated';

const RANK: Record<Relation, number> = { named: 0, neighbour: 1, test: 2, unrelated: 3 };

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

export const isTestFile = (path: string): boolean => path.endsWith('.test.ts');
const isContract = (path: string): boolean => path.startsWith('src/__contract__/');

/** The sources a file imports by relative path, as paths of the given files (./x.js → x.ts, ./dir → dir/index.ts). */
export function importsOf(file: ParsedFile, paths: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const m of file.content.matchAll(IMPORT)) {
    const target = posix.normalize(posix.join(posix.dirname(file.path), m[1] ?? ''));
    const base = target.replace(/\.(?:js|ts|mjs)$/, '');
    const found = [`${base}.ts`, `${target}/index.ts`, `${base}/index.ts`].find((p) => paths.has(p));
    if (found) out.add(found);
  }
  return [...out];
}

/** The files a diagnostic points at: its file, and any src/ path its message names (a review's test). */
function namedBy(d: Diagnostic, paths: ReadonlySet<string>): string[] {
  const named = new Set<string>();
  const own = [...paths].find((p) => p === d.file || d.file?.endsWith(`/${p}`));
  if (own) named.add(own);
  for (const m of d.message.matchAll(/\bsrc\/[\w./-]+\.ts\b/g)) if (paths.has(m[0])) named.add(m[0]);
  return [...named];
}

/**
 * Each file's relation to a set of problems: the files they name; their neighbours (what those
 * import, what imports them, and the entry); the tests that exercise them (a test whose imports
 * reach a named file, directly or through others); the rest unrelated. Contract tests count only
 * when named (the model cannot change them). Sorted closest first, then by path.
 */
export function relatedFiles(files: ParsedFile[], diagnostics: Diagnostic[]): { file: ParsedFile; relation: Relation }[] {
  const paths = new Set(files.map((f) => f.path));
  const imports = new Map(files.map((f) => [f.path, importsOf(f, paths)]));
  const named = new Set(diagnostics.flatMap((d) => namedBy(d, paths)));
  const neighbours = new Set<string>();
  for (const path of named) {
    for (const target of imports.get(path) ?? []) neighbours.add(target);
    for (const [from, targets] of imports) if (targets.includes(path)) neighbours.add(from);
  }
  neighbours.add('src/index.ts');
  // A failing test's code under test is whatever it reaches through its imports.
  for (const path of named) if (isTestFile(path)) for (const reached of closure(path, imports)) neighbours.add(reached);
  const reaches = (test: string): boolean => [...closure(test, imports)].some((p) => named.has(p));
  const relationOf = (path: string): Relation => {
    if (named.has(path)) return 'named';
    if (isContract(path)) return 'unrelated';
    if (isTestFile(path)) return reaches(path) ? 'test' : 'unrelated';
    return neighbours.has(path) ? 'neighbour' : 'unrelated';
  };
  return files
    .map((file) => ({ file, relation: relationOf(file.path) }))
    .sort((a, b) => RANK[a.relation] - RANK[b.relation] || a.file.path.localeCompare(b.file.path));
}

/** Every file a file's imports reach, directly or through others (itself not included). */
function closure(start: string, imports: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const queue = [...(imports.get(start) ?? [])];
  while (queue.length > 0) {
    const at = queue.pop() as string;
    if (seen.has(at) || at === start) continue;
    seen.add(at);
    queue.push(...(imports.get(at) ?? []));
  }
  return seen;
}
