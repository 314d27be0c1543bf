import { describe, expect, it } from 'vitest';
import { hostPluginFor } from '../../../../src/management/install/agent-plugin-guard.js';
import { REDACTED, redactDeep, redactText, secretList } from '../../../../src/management/secrets/redact.js';

const SECRET = 'sk-live-0123456789';

describe('redacting secret values', () => {
  it('replaces every occurrence, longest secret first', () => {
    const secrets = secretList(['sk-live', SECRET, 'short', 42]);
    expect(secrets).toEqual([SECRET, 'sk-live']);
    expect(redactText(`a ${SECRET} b sk-live c`, secrets)).toBe(`a ${REDACTED} b ${REDACTED} c`);
  });

  it('copies only what holds a secret and never changes the original', () => {
    const character = { name: 'Agent', settings: { TOKEN: SECRET } };
    const untouched = { list: ['a', 'b'] };
    const state = { values: { token: `uses ${SECRET}` }, data: { character, untouched, when: new Date(0) }, text: SECRET };
    const redacted = redactDeep(state, [SECRET]);
    expect(JSON.stringify(redacted)).not.toContain(SECRET);
    expect(redacted.data.character.settings.TOKEN).toBe(REDACTED);
    expect(character.settings.TOKEN).toBe(SECRET);
    expect(redacted.data.untouched).toBe(untouched);
    expect(redacted.data.when).toBe(state.data.when);
  });

  it('follows cycles without looping', () => {
    const node: Record<string, unknown> = { token: SECRET };
    node['self'] = node;
    const redacted = redactDeep(node, [SECRET]);
    expect(redacted['token']).toBe(REDACTED);
    expect((redacted['self'] as Record<string, unknown>)['token']).toBe(REDACTED);
  });
});

describe('host plugins by package name', () => {
  it('matches a package to the plugin the host registered, with or without scope and prefix', () => {
    expect(hostPluginFor('@elizaos/plugin-bootstrap', ['bootstrap', '@elizaos/plugin-sql'])).toBe('bootstrap');
    expect(hostPluginFor('@elizaos/plugin-sql', ['bootstrap', '@elizaos/plugin-sql'])).toBe('@elizaos/plugin-sql');
    expect(hostPluginFor('@elizaos/plugin-weather', ['bootstrap', '@elizaos/plugin-sql'])).toBeUndefined();
  });
});
