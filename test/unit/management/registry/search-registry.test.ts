import { describe, expect, it } from 'vitest';
import { parseRegistry, searchRegistry } from '../../../../src/management/registry/index.js';
import { entry, readSnapshot } from './snapshot.js';

const snapshot = parseRegistry(readSnapshot('generated-registry.json'));
const names = (hits: { entry: { name: string } }[]) => hits.map((h) => h.entry.name);

describe('searchRegistry on the real snapshot', () => {
  it('finds the weather plugin first for "weather"', () => {
    const hits = searchRegistry(snapshot, 'weather');
    expect(hits[0]?.entry.name).toBe('@elizaos/plugin-open-weather');
    expect(hits[0]?.matchedOn).toContain('name');
  });

  it('finds @elizaos/plugin-openai first for "openai", whatever the user wraps around it', () => {
    for (const query of ['openai', 'OpenAI', 'plugin-openai', '@elizaos/plugin-openai', 'an openai plugin']) {
      expect(searchRegistry(snapshot, query)[0]?.entry.name).toBe('@elizaos/plugin-openai');
    }
  });

  it('ranks the plugin named after the word above plugins that only mention it', () => {
    const hits = searchRegistry(snapshot, 'solana', { limit: 20 });
    expect(hits[0]?.entry.name).toBe('@elizaos/plugin-solana');
    const firstDescriptionOnly = hits.findIndex((h) => !h.matchedOn.includes('name'));
    const lastNameMatch = hits.map((h) => h.matchedOn.includes('name')).lastIndexOf(true);
    expect(firstDescriptionOnly).toBeGreaterThan(0);
    expect(lastNameMatch).toBeLessThan(firstDescriptionOnly);
  });

  it('lists only 1.x plugins when asked', () => {
    const hits = searchRegistry(snapshot, 'twitter', { v1Only: true, limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.entry.supportsV1)).toBe(true);
    expect(names(hits)).not.toContain('@elizaos/client-twitter');
  });

  it('lists the most starred 1.x plugins for an empty query', () => {
    const hits = searchRegistry(snapshot, '   ', { limit: 5 });
    expect(hits).toHaveLength(5);
    expect(hits.every((h) => h.entry.supportsV1)).toBe(true);
    const stars = hits.map((h) => h.entry.stars);
    expect(stars).toEqual([...stars].sort((a, b) => b - a));
    const mostStarredV1 = Math.max(...snapshot.filter((e) => e.supportsV1).map((e) => e.stars));
    expect(stars[0]).toBe(mostStarredV1);
  });

  it('honours the limit', () => {
    expect(searchRegistry(snapshot, 'solana', { limit: 3 })).toHaveLength(3);
  });

  it('answers nothing for a word no plugin contains', () => {
    expect(searchRegistry(snapshot, 'qwxzzyv')).toEqual([]);
  });
});

describe('searchRegistry ranking rules', () => {
  const registry = [
    entry('@elizaos/plugin-forecast', { description: 'Weather forecasts for any city', stars: 500 }),
    entry('@elizaos/plugin-weather', { description: 'Current conditions', stars: 1 }),
    entry('@elizaos/plugin-skies', { topics: ['weather'], stars: 900 }),
    entry('@elizaos/plugin-unrelated', { description: 'Nothing to see', stars: 10_000 }),
  ];

  it('puts a name match above topic and description matches, even with fewer stars', () => {
    const hits = searchRegistry(registry, 'weather');
    expect(names(hits)).toEqual(['@elizaos/plugin-weather', '@elizaos/plugin-skies', '@elizaos/plugin-forecast']);
    expect(hits.map((h) => h.matchedOn)).toEqual([['name'], ['topics'], ['description']]);
  });

  it('ranks an entry matching every word of the query above one matching a single word', () => {
    const hits = searchRegistry(
      [
        entry('plugin-city', { description: 'city guide', stars: 50 }),
        entry('plugin-city-weather', { description: 'weather by city', stars: 1 }),
      ],
      'city weather',
    );
    expect(names(hits)[0]).toBe('plugin-city-weather');
  });

  it('breaks ties with 1.x support, then stars', () => {
    const hits = searchRegistry(
      [
        entry('plugin-a', { description: 'maps', stars: 1 }),
        entry('plugin-b', { description: 'maps', stars: 99, supportsV1: false }),
        entry('plugin-c', { description: 'maps', stars: 7 }),
      ],
      'maps',
    );
    expect(names(hits)).toEqual(['plugin-c', 'plugin-a', 'plugin-b']);
  });
});
