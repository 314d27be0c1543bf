import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { camelCase, describeToSpec } from '../../../src/creation/spec/index.js';
import { WORKING_EXAMPLE } from '../../../src/creation/spec/describe-offline.js';

interface Case {
  sentence: string;
  actions: string[];
  services?: string[];
  settings?: string[];
  hosts?: string[];
}

const CASES = JSON.parse(readFileSync(new URL('./fixtures/sentences.json', import.meta.url), 'utf8')) as Case[];
const sorted = (list: string[]): string[] => [...list].sort();

/** What the parser produced for one sentence, and whether it is exactly what the fixture asks for. */
function judge(c: Case): { ok: boolean; got: Record<string, unknown> } {
  try {
    const spec = describeToSpec(c.sentence);
    const got = {
      actions: sorted(spec.actions.map((a) => camelCase(a.name))),
      services: sorted(spec.services.map((s) => camelCase(s.name))),
      settings: sorted(spec.environmentVariables.map((v) => v.name)),
      hosts: sorted(spec.permissions.network),
    };
    const ok =
      JSON.stringify(got.actions) === JSON.stringify(sorted(c.actions)) &&
      JSON.stringify(got.services) === JSON.stringify(sorted(c.services ?? [])) &&
      JSON.stringify(got.settings) === JSON.stringify(sorted(c.settings ?? [])) &&
      (c.hosts === undefined || JSON.stringify(got.hosts) === JSON.stringify(sorted(c.hosts)));
    return { ok, got };
  } catch (error) {
    return { ok: false, got: { error: (error as Error).message } };
  }
}

describe('the offline sentence reader on the sentence set', () => {
  it('has at least 40 varied sentences', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it('produces the expected actions, services and settings for at least 90% of them', () => {
    const results = CASES.map((c) => ({ c, ...judge(c) }));
    const misses = results.filter((r) => !r.ok).map((r) => `${r.c.sentence} -> ${JSON.stringify(r.got)}`);
    const score = (results.length - misses.length) / results.length;
    console.log(`sentence reader score: ${results.length - misses.length}/${results.length} (${Math.round(score * 100)}%)${misses.length ? `\nmisses:\n${misses.join('\n')}` : ''}`);
    expect(score, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('writes clean names: no broken singulars, valid identifiers', () => {
    const spec = describeToSpec('convert celsius to fahrenheit');
    expect(JSON.stringify(spec)).not.toMatch(/celsiu\b|fahrenheit_|\bconvertCelsiu/);
    expect(describeToSpec(WORKING_EXAMPLE).name).toBe('plugin-shopping-list');
  });

  it('refuses a sentence it cannot use with an example that works', () => {
    for (const sentence of ['hello there', 'a plugin', 'zz']) {
      expect(() => describeToSpec(sentence)).toThrow(expect.objectContaining({ code: 'DESCRIPTION_UNUSABLE', message: expect.stringContaining(WORKING_EXAMPLE) }));
    }
    expect(() => describeToSpec(WORKING_EXAMPLE)).not.toThrow();
  });
});
