import type { RouteRequest } from '@elizaos/core';
import { describe, expect, it } from 'vitest';
import { requireServerApiKey } from '../../../src/http/server-api-key.js';

const request = (headers: Record<string, string>): RouteRequest => ({ headers, method: 'GET', path: '/plugin-dynamic/plugins' });
const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('the server API key check', () => {
  it('lets every request through when the server has no key', () => {
    expect(codeOf(() => requireServerApiKey(request({}), {}))).toBeUndefined();
  });

  it('asks for the key when the server has one and the request has none or another', () => {
    const env = { ELIZA_SERVER_AUTH_TOKEN: 'the-server-key-0123' };
    expect(codeOf(() => requireServerApiKey(request({}), env))).toBe('SERVER_API_KEY_REQUIRED');
    expect(codeOf(() => requireServerApiKey(request({ 'x-api-key': 'the-server-key-0124' }), env))).toBe('SERVER_API_KEY_REQUIRED');
    expect(codeOf(() => requireServerApiKey(request({ 'x-api-key': 'the-server-key-0123' }), env))).toBeUndefined();
  });
});
