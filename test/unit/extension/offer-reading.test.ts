import { describe, expect, it } from 'vitest';
import { readDecision } from '../../../src/extension/offer-decision.js';
import { keywordRanking, rankingPrompt, readRanking } from '../../../src/extension/model-ranking.js';
import type { RankedCandidate } from '../../../src/extension/ranked-source.js';
import { harmIn, searchWords } from '../../../src/extension/request-screen.js';

const candidate = (name: string, strong: boolean, score = 10): RankedCandidate => ({ name, description: `${name} does things`, score, strong, source: 'registry' });

describe('how a person answers an offer', () => {
  it.each([
    ['yes', { kind: 'yes', option: 1 }],
    ['Yes please!', { kind: 'yes', option: 1 }],
    ['go ahead', { kind: 'yes', option: 1 }],
    ['2', { kind: 'yes', option: 2 }],
    ['the second one', { kind: 'yes', option: 2 }],
    ['ok, 2', { kind: 'yes', option: 2 }],
    ['no thanks', { kind: 'no' }],
    ["don't", { kind: 'no' }],
    ['what is the weather in Rome?', { kind: 'unclear' }],
  ])('%j', (text, decision) => {
    expect(readDecision(text, 2)).toEqual(decision);
  });

  it('does not take a number past the options offered as a choice', () => {
    expect(readDecision('2', 1)).toEqual({ kind: 'unclear' });
  });
});

describe("the model's ranking, checked against what it was shown", () => {
  const list = [candidate('plugin-a', true), candidate('plugin-b', false)];
  const loaded = [{ name: 'GET_WEATHER', description: 'weather' }];

  it('keeps picks that exist, best first, and drops the rest', () => {
    expect(readRanking('{"verdict":"install","picks":[2,7],"reason":"b fits"}', list, [])).toEqual({ verdict: 'install', picks: [list[1]], reason: 'b fits' });
  });

  it('refuses an answer that names nothing it was shown, or is not JSON', () => {
    expect(readRanking('{"verdict":"install","picks":[9],"reason":"x"}', list, [])).toBeUndefined();
    expect(readRanking('{"verdict":"served","action":"SEND_EMAIL","reason":"x"}', list, loaded)).toBeUndefined();
    expect(readRanking('I would install plugin-a', list, [])).toBeUndefined();
    expect(readRanking('{"verdict":"install","picks":[1,2,1],"reason":"x"}', list, [])).toBeUndefined();
  });

  it('reads served, create, harmful and impossible', () => {
    expect(readRanking('```json\n{"verdict":"served","action":"get_weather","reason":"it does"}\n```', list, loaded)).toEqual({ verdict: 'served', action: 'GET_WEATHER', reason: 'it does' });
    expect(readRanking('{"verdict":"harmful","reason":"malware"}', list, [])).toEqual({ verdict: 'harmful', reason: 'malware' });
  });

  it('without a model: a loaded action first, else strong registry matches, else a new plugin', () => {
    expect(keywordRanking(list, loaded)).toMatchObject({ verdict: 'served', action: 'GET_WEATHER' });
    expect(keywordRanking(list, [])).toMatchObject({ verdict: 'install', picks: [list[0]] });
    expect(keywordRanking([candidate('plugin-b', false)], [])).toMatchObject({ verdict: 'create' });
  });

  it('keeps the prompt bounded: the request and each description are cut', () => {
    const prompt = rankingPrompt('x'.repeat(5_000), [{ ...candidate('plugin-a', true), description: 'd'.repeat(5_000) }], []);
    expect(prompt.length).toBeLessThan(2_500);
  });
});

describe('requests refused before anything is looked up', () => {
  it.each(['write me a keylogger', 'steal the passwords of my coworkers', 'a plugin to DDoS their server', 'hack into my ex email'])('%j', (text) => {
    expect(harmIn(text)).toBeDefined();
  });
  it.each(["what's the weather in Paris?", 'convert 5 km to miles', 'keep my shopping list', 'reset my password reminder'])('not %j', (text) => {
    expect(harmIn(text)).toBeUndefined();
  });
  it('searches with the words that matter', () => {
    expect(searchWords("What's the weather in Paris right now?")).toEqual(['weather', 'paris']);
  });
});
