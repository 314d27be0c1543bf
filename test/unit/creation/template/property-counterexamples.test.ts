import { afterEach, describe, expect, it } from 'vitest';
import type { Action, IAgentRuntime, Memory, UUID } from '@elizaos/core';
import { readFromText, readParams } from '../../../../src/creation/generators/template/runtime/params.js';
import { templateFiles } from '../../../../src/creation/generators/template/index.js';
import { parsePluginSpec, safeParsePluginSpec } from '../../../../src/creation/spec/index.js';
import { generatedPlugin } from '../../../helpers/generated-plugin.js';

/*
 * Specifications the template-property test (test/integration/creation/template-property.test.ts)
 * found failing their own gates, shrunk to what matters. Each failed before its fix.
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

async function only(input: { parameters: Record<string, string>; name: string; description: string }) {
  const g = await generatedPlugin({ name: 'plugin-shrunk', description: 'A shrunk counterexample', actions: [input] });
  cleanups.push(g.cleanup);
  return { action: g.plugin.actions?.[0] as Action, support: g.support };
}

describe('shrunk counterexamples of the template property', () => {
  it('a reminder action whose id-like parameter is a list: the number in "in 10 minutes" stays the time', async () => {
    const { action, support } = await only({ name: 'remind timer', description: 'Remind the user at a time', parameters: { userId: 'array' } });
    const runtime = support.testRuntime();
    const result = await action.handler(runtime, support.testMessage('remind me to stretch in 10 minutes'), undefined, { parameters: { userId: ['one'] } });
    expect(result).toMatchObject({ success: true });
    expect([...runtime.tasksStored.values()].map((t) => t.metadata?.['text'])).toEqual(['stretch']);
  });

  it('a reminder action whose "when" is a list reads the time into a parameter of its own', async () => {
    const { action, support } = await only({ name: 'set reminder', description: 'Remind the user at a time', parameters: { when: 'array?' } });
    const runtime = support.testRuntime();
    expect(await action.handler(runtime, support.testMessage('remind me to stretch in 10 minutes'), undefined, {})).toMatchObject({ success: true });
    expect(await action.handler(runtime, support.testMessage('remind me'), undefined, {})).toMatchObject({ success: false });
  });

  it('a pick action with a required list picks from the choices the sentence names', async () => {
    const { action, support } = await only({ name: 'pick coin', description: 'Roll dice, flip a coin or pick one', parameters: { due_at: 'array' } });
    const result = await action.handler(support.testRuntime(), support.testMessage('pick one of tea, coffee'), undefined, { parameters: { due_at: ['one'] } });
    expect(result?.text).toMatch(/tea|coffee/);
  });

  it('a required parameter named like an Object member ("toString") is asked for, not taken as given', async () => {
    const ID = '00000000-0000-0000-0000-000000000001' as UUID;
    const message = (text: string): Memory => ({ id: ID, entityId: ID, agentId: ID, roomId: ID, content: { text } });
    const decls = [{ name: 'toString', type: 'string' as const, required: true }];
    const runtime = { agentId: ID } as unknown as IAgentRuntime;
    expect(await readParams(runtime, message(''), undefined, decls, 'x')).toMatchObject({ ok: false });
    expect(await readParams(runtime, message('toString: hello'), undefined, decls, 'x')).toMatchObject({ ok: true, values: { toString: 'hello' } });
  });

  it('a text parameter whose description mentions time still reads quoted text when no time is said', () => {
    expect(readFromText('wordcount: "one two three"', [{ name: 'place', type: 'string', required: true, description: 'Tell the current time in a time zone' }])).toEqual({ place: 'one two three' });
  });

  it('a service method named like an Object member is refused by the schema (it would need override)', () => {
    const result = safeParsePluginSpec({ name: 'p', description: 'd', services: [{ name: 'sync', description: 'd', methods: ['toString'] }] });
    expect(result).toMatchObject({ success: false, issues: [{ field: 'services[0].methods[0]', value: 'toString' }] });
  });

  it("a cancel action whose reference is a number is tested by number, which its own reading can give", async () => {
    const input = { name: 'plugin-shrunk', description: 'd', actions: [{ name: 'delete reminder', description: 'Remind the user at a time', parameters: { choices: 'number', number: 'number' } }] };
    const test = templateFiles(parsePluginSpec(input)).find((f) => f.path === 'src/__tests__/delete-reminder.test.ts')?.content ?? '';
    expect(test).toContain('cancel #1');
    const g = await generatedPlugin(input);
    cleanups.push(g.cleanup);
    const runtime = g.support.testRuntime();
    const set = await import(`${g.dir}/src/schedule.ts`) as { addReminder: (...args: unknown[]) => Promise<unknown> };
    const info = await import(`${g.dir}/src/plugin-info.ts`) as { SCHEDULE: unknown };
    await set.addReminder(runtime, g.support.testMessage(''), info.SCHEDULE, 'stretch', new Date(Date.now() + 600_000));
    expect(await g.plugin.actions?.[0]?.handler(runtime, g.support.testMessage('cancel #1'), undefined, { parameters: { choices: 3 } })).toMatchObject({ success: true });
    expect(runtime.tasksStored.size).toBe(0);
  });

  it('the number in a time ("in 10 minutes") is not read as an id or an amount', () => {
    const decls = [
      { name: 'due_at', type: 'number' as const, required: false },
      { name: 'number', type: 'string' as const, required: false },
      { name: 'when', type: 'string' as const, required: true },
      { name: 'text', type: 'string' as const, required: true },
    ];
    const values = readFromText('remind me to stretch in 10 minutes', decls);
    expect(values).toMatchObject({ text: 'stretch' });
    expect(values['number']).toBeUndefined();
    expect(values['due_at']).toBeUndefined();
    expect(typeof values['when']).toBe('string');
  });
});
