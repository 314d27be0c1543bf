import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The house's rules, held by the code itself: no source file over 400 lines, and no import circle
 * among the modules under src/ (type-only imports count: a circle of types is still two files that
 * cannot be read apart).
 */

const SRC = resolve('src');
const sources = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join(SRC, f));

/** The src files a module imports or re-exports by a relative path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"`]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
    const target = resolve(dirname(file), m[1]!).replace(/\.js$/, '.ts');
    if (target.startsWith(SRC) && sources.includes(target)) found.add(target);
  }
  return [...found];
}

/** Every circle of the import graph, each written once, as the files it runs through. */
function circles(): string[][] {
  const graph = new Map(sources.map((f) => [f, importsOf(f)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)).map((f) => relative(SRC, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of sources) if (!state.has(file)) visit(file);
  return found;
}

describe('the house', () => {
  it('reads the whole source tree', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(importsOf(join(SRC, 'index.ts')).length).toBeGreaterThan(3);
  });

  it('has no import circle under src/', () => {
    expect(circles()).toEqual([]);
  });

  it('has no source file over 400 lines', () => {
    const long = sources
      .map((f) => ({ file: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
