import { afterEach, describe, expect, it } from 'vitest';
import type { Action } from '@elizaos/core';
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
});
