import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IAgentRuntime, Memory, UUID } from '@elizaos/core';
import { describe, expect, it } from 'vitest';
import { timeAnswer } from '../../../../src/creation/generators/template/runtime/clock.js';
import { buildUrl, summarise } from '../../../../src/creation/generators/template/runtime/http.js';
import { readFromText, readParams, type ParamDecl } from '../../../../src/creation/generators/template/runtime/params.js';
import { pickOne, rollDice } from '../../../../src/creation/generators/template/runtime/random.js';
import { convertAnswer, parseConversion } from '../../../../src/creation/generators/template/runtime/units.js';
import { parseWhen } from '../../../../src/creation/generators/template/runtime/when.js';

const ID = '00000000-0000-0000-0000-000000000001' as UUID;
const message = (text: string): Memory => ({ id: ID, entityId: ID, agentId: ID, roomId: ID, content: { text } });
const noModel = { agentId: ID } as unknown as IAgentRuntime;

describe('parameters read from plain language', () => {
  const now = new Date('2026-12-01T10:00:00');
  const at = (text: string): string | undefined => parseWhen(text, now)?.at.toISOString();

  it('reads relative and named times', () => {
    expect(at('remind me in 30 minutes')).toBe(new Date('2026-12-01T10:30:00').toISOString());
    expect(at('call mom tomorrow at 9')).toBe(new Date('2026-12-02T09:00:00').toISOString());
    expect(at('today at 5pm')).toBe(new Date('2026-12-01T17:00:00').toISOString());
    expect(at('at 9')).toBe(new Date('2026-12-02T09:00:00').toISOString());
    expect(at('on 2027-01-05 at 10:30')).toBe(new Date('2027-01-05T10:30:00').toISOString());
    expect(at('in an hour')).toBe(new Date('2026-12-01T11:00:00').toISOString());
    expect(at('no time here')).toBeUndefined();
  });

  it('reads ids, numbers, quoted strings, name: value and what is left of the sentence', () => {
    const id: ParamDecl[] = [{ name: 'id', type: 'string', required: true }];
    const text: ParamDecl[] = [{ name: 'text', type: 'string', required: true }];
    expect(readFromText('Please delete record 42', id)).toEqual({ id: '42' });
    expect(readFromText('remove #7 from my list', id)).toEqual({ id: '7' });
    expect(readFromText('add buy milk to my shopping list', text)).toEqual({ text: 'buy milk' });
    expect(readFromText('remember "the gate code is 1234"', text)).toEqual({ text: 'the gate code is 1234' });
    const named: ParamDecl[] = [
      { name: 'count', type: 'number', required: true },
      { name: 'label', type: 'string', required: true },
    ];
    expect(readFromText('count: 3, label: "x y"', named)).toEqual({ count: 3, label: 'x y' });
    const reminder = readFromText('remind me to stretch in 10 minutes', [...text, { name: 'when', type: 'string', required: true }]);
    expect(reminder['text']).toBe('stretch');
    expect(typeof reminder['when']).toBe('string');
    expect(readFromText('pick one of tea, coffee or juice', [{ name: 'choices', type: 'array', required: true }])).toEqual({ choices: ['tea', 'coffee', 'juice'] });
  });

  it('asks a question for a missing required value instead of guessing', async () => {
    const read = await readParams(noModel, message(''), undefined, [{ name: 'when', type: 'string', required: true }], 'Set a reminder');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.outcome.text).toMatch(/^What is the when for Set a reminder\?/);
  });

  it('asks the model with a schema prompt and keeps only values of the declared type', async () => {
    const prompts: string[] = [];
    const runtime = {
      agentId: ID,
      useModel: async (_type: string, params: { prompt: string }) => {
        prompts.push(params.prompt);
        return '```json\n{"amount": "not a number", "city": "Paris"}\n```';
      },
    } as unknown as IAgentRuntime;
    const decls: ParamDecl[] = [
      { name: 'city', type: 'string', required: true },
      { name: 'amount', type: 'number', required: false },
    ];
    const read = await readParams(runtime, message('how is it over in the French capital'), undefined, decls, 'Get weather');
    expect(read).toMatchObject({ ok: true, values: { city: 'Paris' } });
    expect(read.ok && 'amount' in read.values).toBe(false);
    expect(prompts[0]).toContain('- city (string, required)');
    expect(prompts[0]).toContain('Never guess');
  });
});

describe('recipes as plain functions', () => {
  it('converts temperature, length, mass, volume, time and data size', async () => {
    expect(parseConversion('convert 5 km to miles')).toEqual({ amount: 5, from: 'km', to: 'miles' });
    expect((await convertAnswer('0 celsius in fahrenheit', {}, undefined)).text).toBe('0 celsius = 32 fahrenheit');
    expect((await convertAnswer('2 lb to kg', {}, undefined)).text).toBe('2 lb = 0.907185 kg');
    expect((await convertAnswer('1 gallon in liters', {}, undefined)).text).toBe('1 gal = 3.78541 l');
    expect((await convertAnswer('90 minutes to hours', {}, undefined)).text).toBe('90 min = 1.5 h');
    expect((await convertAnswer('how many MiB in 1 GiB', {}, undefined)).text).toBe('1 GiB = 1024 MiB');
    expect((await convertAnswer('5 km to kg', {}, undefined)).success).toBe(false);
    expect((await convertAnswer('', { amount: 10, fromUnit: 'm', toUnit: 'cm' }, undefined)).text).toBe('10 m = 1000 cm');
  });

  it('converts currency only through the configured rates address', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ base: 'USD', rates: { EUR: 0.5, GBP: 0.25 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/latest`;
      expect((await convertAnswer('20 EUR to GBP', {}, url)).text).toBe('20 EUR = 10.00 GBP');
      expect((await convertAnswer('20 EUR to JPY', {}, url)).text).toContain('no rate for JPY');
      expect((await convertAnswer('20 EUR to GBP', {}, undefined)).success).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('builds API addresses from path and query values and summarises JSON', () => {
    expect(buildUrl('https://api.example.com/v1', { repo: 'elizaos/eliza', page: 2 }).href).toBe('https://api.example.com/v1/elizaos/eliza?page=2');
    expect(summarise({ name: 'x', stars: 3, tags: ['a', 'b'], owner: { login: 'o' } })).toBe('name: x\nstars: 3\ntags: 2 items: a; b\nowner: login: o');
  });

  it('tells the time in a zone through Intl and refuses a place it does not know', () => {
    expect(timeAnswer('what time is it in Asia/Kolkata?', 'UTC').data).toMatchObject({ zone: 'Asia/Kolkata' });
    expect(timeAnswer('time in New York', 'UTC').data).toMatchObject({ zone: 'America/New_York' });
    expect(timeAnswer('what time is it in Atlantis?', 'UTC').success).toBe(false);
  });

  it('rolls within bounds and picks one of the choices', () => {
    for (let i = 0; i < 20; i++) {
      const total = (rollDice('roll 2d6').data as { total: number }).total;
      expect(total).toBeGreaterThanOrEqual(2);
      expect(total).toBeLessThanOrEqual(12);
    }
    expect(['a', 'b']).toContain((pickOne('choose between a and b').data as { choice: string }).choice);
    expect(pickOne('choose').success).toBe(false);
  });
});
