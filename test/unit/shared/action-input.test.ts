import type { Memory } from '@elizaos/core';
import { describe, expect, it } from 'vitest';
import {
  jsonInText,
  packageLikeTokens,
  settingPairs,
  structuredParams,
} from '../../../src/shared/eliza/action-input.js';

const message = (text: string) => ({ content: { text } }) as unknown as Memory;

describe('action input', () => {
  const declared = { plugin: { type: 'string', description: 'a plugin' }, x: { type: 'number', description: 'x' } } as const;

  it('reads declared parameters from options.parameters, then from JSON in the message', () => {
    expect(structuredParams(message('{"plugin":"b","x":1,"y":2}'), { parameters: { plugin: 'a' } }, declared)).toEqual({
      plugin: 'a',
      x: 1,
    });
  });

  it('never reads the options object core passes as parameters', () => {
    const coreOptions = { actionContext: { previousResults: [], getPreviousResult: () => undefined }, plugin: 'c' };
    expect(structuredParams(message('hello'), coreOptions, declared)).toEqual({});
    expect(structuredParams(message('{"actionContext":1,"plugin":"d"}'), coreOptions, declared)).toEqual({ plugin: 'd' });
  });

  it('finds a JSON object in prose or in a code fence', () => {
    expect(jsonInText('please use {"a": {"b": "}"}} thanks')).toEqual({ a: { b: '}' } });
    expect(jsonInText('```json\n{"name": "x"}\n```')).toEqual({ name: 'x' });
    expect(jsonInText('no json here {oops')).toBeUndefined();
  });

  it('recognises package names, github sources and paths in text', () => {
    expect(packageLikeTokens('install @elizaos/plugin-bootstrap@1.7.2 now')).toEqual(['@elizaos/plugin-bootstrap@1.7.2']);
    expect(packageLikeTokens('get github:owner/repo#main and ./plugins/x.tgz')).toEqual([
      'github:owner/repo#main',
      './plugins/x.tgz',
    ]);
    expect(packageLikeTokens('add plugin-weather.')).toEqual(['plugin-weather']);
  });

  it('reads NAME=value settings from text', () => {
    expect(settingPairs('set WEATHER_API_KEY=abc123 and BASE_URL: "https://x.test/a b"')).toEqual({
      WEATHER_API_KEY: 'abc123',
      BASE_URL: 'https://x.test/a b',
    });
  });
});
