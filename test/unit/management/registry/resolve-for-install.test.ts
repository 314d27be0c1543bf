import { describe, expect, it } from 'vitest';
import { parseRegistry, resolvePluginName } from '../../../../src/management/registry/index.js';
import { readSnapshot } from './snapshot.js';

const snapshot = parseRegistry(readSnapshot('generated-registry.json'));

describe('resolving a name for an install: near names are only suggested', () => {
  it('still takes the exact name and the CLI variants of it', () => {
    expect(resolvePluginName(snapshot, 'bootstrap', { fuzzy: false }).name).toBe('@elizaos/plugin-bootstrap');
    expect(resolvePluginName(snapshot, '@elizaos/plugin-bootstrap', { fuzzy: false }).name).toBe('@elizaos/plugin-bootstrap');
  });

  it('never stretches "x" into @elizaos/plugin-0x, but names it as a suggestion', () => {
    expect(() => resolvePluginName(snapshot, 'x', { fuzzy: false })).toThrow(
      expect.objectContaining({ code: 'PLUGIN_NOT_FOUND', details: expect.objectContaining({ suggestions: expect.arrayContaining(['@elizaos/plugin-0x']) }) }),
    );
  });

  it('suggests a misspelt name and says nothing was installed', () => {
    expect(() => resolvePluginName(snapshot, 'bootstrapp', { fuzzy: false })).toThrow(
      expect.objectContaining({
        code: 'PLUGIN_NOT_FOUND',
        message: expect.stringContaining('Did you mean @elizaos/plugin-bootstrap? Nothing was installed'),
      }),
    );
    // A lookup that installs nothing may still take the near name.
    expect(resolvePluginName(snapshot, 'bootstrapp').name).toBe('@elizaos/plugin-bootstrap');
  });
});
