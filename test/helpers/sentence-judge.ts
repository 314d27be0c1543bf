import { readFileSync } from 'node:fs';
import { camelCase, describeToSpec } from '../../src/creation/spec/index.js';

/** One sentence of a fixture set and what the offline reader must make of it. */
export interface SentenceCase {
  sentence: string;
  actions: string[];
  services?: string[];
  settings?: string[];
  hosts?: string[];
}

export const readSentenceCases = (url: URL): SentenceCase[] => JSON.parse(readFileSync(url, 'utf8')) as SentenceCase[];

const sorted = (list: string[]): string[] => [...list].sort();
const same = (a: string[], b: string[]): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** What the parser produced for one sentence, and whether it is exactly what the fixture asks for. */
export function judgeSentence(c: SentenceCase): { ok: boolean; got: Record<string, unknown> } {
  try {
    const spec = describeToSpec(c.sentence);
    const got = {
      actions: sorted(spec.actions.map((a) => camelCase(a.name))),
      services: sorted(spec.services.map((s) => camelCase(s.name))),
      settings: sorted(spec.environmentVariables.map((v) => v.name)),
      hosts: sorted(spec.permissions.network),
    };
    const ok =
      same(got.actions, c.actions) &&
      same(got.services, c.services ?? []) &&
      same(got.settings, c.settings ?? []) &&
      (c.hosts === undefined || same(got.hosts, c.hosts));
    return { ok, got };
  } catch (error) {
    return { ok: false, got: { error: (error as Error).message } };
  }
}

/** The share of a set the reader gets exactly right, with a line per miss. */
export function scoreSentences(cases: SentenceCase[]): { right: number; total: number; misses: string[] } {
  const misses = cases.map((c) => ({ c, ...judgeSentence(c) })).filter((r) => !r.ok).map((r) => `${r.c.sentence} -> ${JSON.stringify(r.got)}`);
  return { right: cases.length - misses.length, total: cases.length, misses };
}
