import { describe, expect, it } from 'vitest';
import type { PluginDynamicError } from '../../../../src/errors.js';
import { candidateNames, parseRegistry, resolvePluginName } from '../../../../src/management/registry/index.js';
import type { RegistryEntry } from '../../../../src/management/types.js';
import { entry, readSnapshot } from './snapshot.js';

const snapshot = parseRegistry(readSnapshot('generated-registry.json'));

function failure(entries: readonly RegistryEntry[], word: string): PluginDynamicError {
  try {
    resolvePluginName(entries, word);
  } catch (error) {
    return error as PluginDynamicError;
  }
  throw new Error(`"${word}" resolved, a failure was expected`);
}

describe('resolvePluginName: the ElizaOS CLI order', () => {
  it('lists the names it tries in the CLI order', () => {
    expect(candidateNames('@someone/plugin-maps')).toEqual([
      '@someone/plugin-maps',
      'maps',
      'plugin-maps',
      '@elizaos/maps',
      '@elizaos/plugin-maps',
    ]);
  });

  it.each([
    ['openai', '@elizaos/plugin-openai'],
    ['plugin-openai', '@elizaos/plugin-openai'],
    ['@elizaos/plugin-openai', '@elizaos/plugin-openai'],
    ['  OpenAI ', '@elizaos/plugin-openai'],
    ['adapter-postgres', '@elizaos/adapter-postgres'],
    ['mattermost', '@elizaos/plugin-mattermost'],
    ['@bealers/plugin-mattermost', '@bealers/plugin-mattermost'],
    ['connections', 'plugin-connections'],
    ['@1bdo/plugin-delta', '@1BDO/plugin-delta'],
  ])('resolves "%s" to %s in the real registry', (word, expected) => {
    expect(resolvePluginName(snapshot, word).name).toBe(expected);
  });

  it('takes the input itself before any variant', () => {
    const registry = [entry('maps'), entry('plugin-maps'), entry('@elizaos/plugin-maps')];
    expect(resolvePluginName(registry, 'maps').name).toBe('maps');
  });

  it('prefers plugin-<base> over @elizaos/<base> and @elizaos/plugin-<base>', () => {
    const registry = [entry('@elizaos/plugin-maps'), entry('@elizaos/maps'), entry('plugin-maps')];
    expect(resolvePluginName(registry, '@other/maps').name).toBe('plugin-maps');
  });

  it('prefers @elizaos/<base> over @elizaos/plugin-<base>', () => {
    const registry = [entry('@elizaos/plugin-maps'), entry('@elizaos/maps')];
    expect(resolvePluginName(registry, 'maps').name).toBe('@elizaos/maps');
  });
});

describe('resolvePluginName: fuzzy matching', () => {
  it.each([
    ['opnai', '@elizaos/plugin-openai'],
    ['antropic', '@elizaos/plugin-anthropic'],
    ['telgram', '@elizaos/plugin-telegram'],
    ['twiter', '@elizaos/plugin-twitter'],
  ])('corrects the typo "%s" to %s', (word, expected) => {
    expect(resolvePluginName(snapshot, word).name).toBe(expected);
  });

  it('finds the one plugin whose name contains the word', () => {
    expect(resolvePluginName(snapshot, 'weather').name).toBe('@elizaos/plugin-open-weather');
  });

  it('refuses to guess between two equally close spellings and lists both', () => {
    const error = failure(snapshot, 'polymarkt');
    expect(error.code).toBe('PLUGIN_AMBIGUOUS');
    expect(error.details?.['candidates']).toEqual(
      expect.arrayContaining(['@elizaos/plugin-polymarket', '@theschein/plugin-polymarket']),
    );
    expect(error.message).toContain('@elizaos/plugin-polymarket');
    expect(error.message).toContain('@theschein/plugin-polymarket');
  });

  it('refuses to guess between several names containing the word', () => {
    const error = failure(snapshot, 'x402');
    expect(error.code).toBe('PLUGIN_AMBIGUOUS');
    expect((error.details?.['candidates'] as string[]).length).toBeGreaterThan(1);
  });

  it('takes the single closest spelling when the others are further away', () => {
    const registry = [entry('plugin-mapper'), entry('plugin-maps')];
    expect(resolvePluginName(registry, 'mapz').name).toBe('plugin-maps');
  });
});

describe('resolvePluginName: failures', () => {
  it('says PLUGIN_NOT_FOUND with suggestions in the message and the details', () => {
    const error = failure(snapshot, 'qwxzzyv');
    expect(error.code).toBe('PLUGIN_NOT_FOUND');
    const suggestions = error.details?.['suggestions'] as string[];
    expect(suggestions.length).toBeGreaterThan(0);
    expect(error.message).toContain('qwxzzyv');
    expect(error.message).toContain(suggestions[0]);
  });

  it('suggests what a search for the word finds', () => {
    const registry = [entry('plugin-sky', { description: 'rain and sunshine' }), entry('plugin-dice')];
    const error = failure(registry, 'sunshine');
    expect(error.code).toBe('PLUGIN_NOT_FOUND');
    expect((error.details?.['suggestions'] as string[])[0]).toBe('plugin-sky');
  });

  it('says PLUGIN_NOT_FOUND without suggestions in an empty registry', () => {
    const error = failure([], 'openai');
    expect(error.code).toBe('PLUGIN_NOT_FOUND');
    expect(error.details?.['suggestions']).toEqual([]);
  });

  it('refuses an empty word with INVALID_INPUT', () => {
    expect(failure(snapshot, '   ').code).toBe('INVALID_INPUT');
  });
});
