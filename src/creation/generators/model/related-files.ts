import { posix } from 'node:path';
import type { Diagnostic } from '../../steps/index.js';
import type { ParsedFile } from './parse-model-files.js';

/** Why a file is in a repair prompt; `unrelated` files go first when room runs out. */
export type Relation = 'named' | 'test' | 'neighbour' | 'unrelated';

/**
 * How much a repair needs a file, 0 most: the files the problems name; their own tests (a test
 * that imports one of them); their other neighbours and the tests that reach them through others;
 * the rest.
 */
export type Need = 0 | 1 | 2 | 3;

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
 * Each file's relation to a set of problems and how much a repair needs it: the files they name;
 * their neighbours (what those import, what imports them, and the entry); the tests that exercise
 * them (a test whose imports reach a named file, directly or through others); the rest unrelated.
 * Contract tests count only when named (the model cannot change them). Sorted by need, then the
 * smaller file first (so one large file never crowds out several small ones of the same need), then
 * by path.
 */
export function relatedFiles(files: ParsedFile[], diagnostics: Diagnostic[]): { file: ParsedFile; relation: Relation; need: Need }[] {
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
  const needOf = (path: string, relation: Relation): Need => {
    if (relation === 'named') return 0;
    if (relation === 'test') return (imports.get(path) ?? []).some((p) => named.has(p)) ? 1 : 2;
    return relation === 'neighbour' ? 2 : 3;
  };
  return files
    .map((file) => {
      const relation = relationOf(file.path);
      return { file, relation, need: needOf(file.path, relation) };
    })
    .sort((a, b) => a.need - b.need || a.file.content.length - b.file.content.length || a.file.path.localeCompare(b.file.path));
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
