import { describe, expect, it } from 'vitest';
import { parseGithubRepository, parseRegistry } from '../../../../src/management/registry/index.js';
import { generatedDocument, readSnapshot } from './snapshot.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('parseRegistry on generated-registry.json', () => {
  const entries = parseRegistry(readSnapshot('generated-registry.json'));
  const byName = new Map(entries.map((e) => [e.name, e]));

  it('reads every one of the 372 plugins of the snapshot', () => {
    expect(entries).toHaveLength(372);
    expect(new Set(entries.map((e) => e.name)).size).toBe(372);
  });

  it('marks as 1.x the 119 entries flagged supports.v1 plus those with only an npm.v1 release', () => {
    const raw = generatedDocument().registry;
    const flagged = Object.values(raw).filter((r) => (r['supports'] as { v1: boolean }).v1);
    const npmOnly = Object.values(raw).filter(
      (r) => !(r['supports'] as { v1: boolean }).v1 && (r['npm'] as { v1: string | null }).v1 !== null,
    );
    expect(flagged).toHaveLength(119);
    expect(entries.filter((e) => e.supportsV1)).toHaveLength(119 + npmOnly.length);
  });

  it('keeps the 1.x npm version, the 1.x branch, the repository, topics and stars of an entry', () => {
    expect(byName.get('@elizaos/plugin-openai')).toMatchObject({
      supportsV1: true,
      npmV1Version: '1.6.0',
      gitV1Branch: '1.x',
      repository: 'elizaos-plugins/plugin-openai',
      stars: 4,
    });
    expect(byName.get('@1BDO/plugin-delta')?.topics).toContain('elizaos-plugin');
  });

  it('counts an npm 1.x release as 1.x support even when the supports flag is false', () => {
    expect(byName.get('@elizaos/plugin-0g')).toMatchObject({ supportsV1: true, npmV1Version: '1.0.0' });
  });

  it('counts the supports flag as 1.x support even without an npm release', () => {
    expect(byName.get('@andysalvo/plugin-x402-trust')).toMatchObject({
      supportsV1: true,
      npmV1Version: undefined,
      gitV1Branch: 'main',
    });
  });

  it('turns a null description into an empty one and leaves 0.x-only plugins unmarked', () => {
    expect(byName.get('@elizaos/plugin-open-weather')).toMatchObject({
      description: '',
      supportsV1: false,
      npmV1Version: undefined,
    });
  });

  it('reduces a repository with a "#ref:folder" suffix to owner/repo', () => {
    expect(byName.get('@kamiyo/eliza')?.repository).toBe('kamiyo-ai/kamiyo-protocol');
  });

  it('skips a malformed entry and keeps all the others', () => {
    const doc = generatedDocument();
    doc.registry['@elizaos/plugin-openai'] = { git: 'not an object', npm: 42 };
    doc.registry['not a valid name!'] = { git: { repo: 'a/b' } };
    const parsed = parseRegistry(doc);
    expect(parsed).toHaveLength(372 - 1);
    expect(parsed.some((e) => e.name === '@elizaos/plugin-openai')).toBe(false);
  });

  it('accepts entries with missing or null optional fields', () => {
    const [only] = parseRegistry({
      registry: {
        'plugin-minimal': {
          npm: { repo: 'plugin-minimal', v1: null },
          supports: null,
          description: null,
          topics: null,
          stargazers_count: 'many',
        },
      },
    });
    expect(only).toEqual({
      name: 'plugin-minimal',
      description: '',
      repository: undefined,
      supportsV1: false,
      npmV1Version: undefined,
      gitV1Branch: undefined,
      topics: [],
      stars: 0,
    });
  });
});

describe('parseRegistry on index.json', () => {
  const entries = parseRegistry(readSnapshot('index.json'));

  it('reads the same 372 names as generated-registry.json', () => {
    const generated = parseRegistry(readSnapshot('generated-registry.json'));
    expect(entries.map((e) => e.name).sort()).toEqual(generated.map((e) => e.name).sort());
  });

  it('takes the repository from "github:owner/repo" and claims no 1.x support it cannot know', () => {
    const openai = entries.find((e) => e.name === '@elizaos/plugin-openai');
    expect(openai).toMatchObject({ repository: 'elizaos-plugins/plugin-openai', description: '', supportsV1: false });
    expect(entries.some((e) => e.supportsV1)).toBe(false);
  });

  it('skips an entry whose value is not a GitHub reference', () => {
    const parsed = parseRegistry({ 'plugin-a': 'github:me/plugin-a', 'plugin-b': 17, 'plugin-c': 'ftp://x' });
    expect(parsed.map((e) => e.name)).toEqual(['plugin-a']);
  });
});

describe('parseRegistry refuses what is not a registry', () => {
  it.each([
    ['an array', []],
    ['a string', 'hello'],
    ['null', null],
    ['an empty object', {}],
    ['a "registry" that is a list', { registry: [] }],
    ['an error document', { error: 'Not Found', status: 404 }],
    ['a registry whose entries are all broken', { registry: { 'plugin-a': 'x', 'plugin-b': { git: 1 } } }],
  ])('refuses %s with REGISTRY_INVALID', (_label, json) => {
    expect(codeOf(() => parseRegistry(json))).toBe('REGISTRY_INVALID');
  });

  it('accepts a registry document with no plugins in it', () => {
    expect(parseRegistry({ lastUpdatedAt: '2026-01-01T00:00:00Z', registry: {} })).toEqual([]);
  });
});

describe('parseGithubRepository', () => {
  it.each([
    ['github:owner/repo', 'owner/repo'],
    ['owner/repo', 'owner/repo'],
    ['https://github.com/owner/repo.git', 'owner/repo'],
    ['github:owner/repo#main:packages/x', 'owner/repo'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseGithubRepository(input)).toBe(expected);
  });

  it('answers undefined for something that is not a GitHub reference', () => {
    expect(parseGithubRepository('ftp://example.com/x/y')).toBeUndefined();
  });
});
