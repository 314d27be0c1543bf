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
  it('prefers options.parameters, then options, then JSON in the message', () => {
    expect(structuredParams(message('{"plugin":"b","x":1}'), { parameters: { plugin: 'a' } })).toEqual({
      plugin: 'a',
      x: 1,
    });
    expect(structuredParams(message('hello'), { plugin: 'c' })).toEqual({ plugin: 'c' });
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
