import { describe, expect, it } from 'vitest';
import { isolateConfirmed } from '../../../src/cli/confirm-in-process.js';
import type { Backend } from '../../../src/cli/backend.js';
import { codedError } from '../../../src/errors.js';

/** A backend whose isolation call refuses without a confirmation, as the agent does. */
function backend() {
  const calls: unknown[] = [];
  const b = {
    isolation: async (input: { confirm?: unknown }) => {
      calls.push(input);
      if (!input.confirm) throw codedError('CONFIRMATION_REQUIRED', { plugin: 'plugin-x', problem: 'type its name and the code' });
      return { packageName: 'plugin-x', isolation: 'in-process' };
    },
  } as unknown as Backend;
  return { b, calls };
}

const signal = new AbortController().signal;

describe('plugin-dynamic isolate <plugin> in-process, without a terminal', () => {
  it('passes the refusal on: a script gets the code printed on the agent, not a way around it', async () => {
    const { b, calls } = backend();
    await expect(isolateConfirmed(b, { plugin: 'plugin-x', mode: 'in-process' }, {}, signal)).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(calls).toHaveLength(1);
  });

  it('sends --code with the name confirmed by --yes, and refuses --code alone', async () => {
    const { b, calls } = backend();
    await expect(isolateConfirmed(b, { plugin: 'plugin-x', mode: 'in-process' }, { code: 'ABCD-EFGH' }, signal)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(calls).toHaveLength(0);
    await isolateConfirmed(b, { plugin: 'plugin-x', mode: 'in-process' }, { code: 'ABCD-EFGH', yes: true }, signal);
    expect(calls).toEqual([{ plugin: 'plugin-x', mode: 'in-process', confirm: { name: 'plugin-x', code: 'ABCD-EFGH' } }]);
  });
});
