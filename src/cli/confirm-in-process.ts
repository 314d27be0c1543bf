import { createInterface } from 'node:readline/promises';
import { codedError, isPluginDynamicError } from '../errors.js';
import type { Backend } from './backend.js';

type IsolationInput = Parameters<Backend['isolation']>[0];

export interface ConfirmOptions {
  /** The code the agent printed on its terminal, for scripts (with --yes). */
  code?: string;
  /** Confirms the plugin's name without typing it again. */
  yes?: boolean;
}

async function ask(question: string, signal: AbortSignal): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question, { signal })).trim();
  } finally {
    rl.close();
  }
}

/**
 * `isolate <plugin> in-process`: the agent answers CONFIRMATION_REQUIRED and prints a one-time code
 * on its own terminal. A person types the plugin's name (or passes --yes) and the code; a script
 * runs the command once to have the code printed, then again with --yes --code.
 */
export async function isolateConfirmed(backend: Backend, input: IsolationInput, opts: ConfirmOptions, signal: AbortSignal): ReturnType<Backend['isolation']> {
  const typedName = async (): Promise<string> => (opts.yes ? input.plugin : ask(`Type the plugin's name (${input.plugin}) to confirm: `, signal));
  if (opts.code) {
    if (!opts.yes && process.stdin.isTTY !== true) {
      throw codedError('INVALID_INPUT', { input: '--code', problem: 'needs --yes without a terminal to type the plugin\'s name on.' });
    }
    return backend.isolation({ ...input, confirm: { name: await typedName(), code: opts.code } });
  }
  try {
    return await backend.isolation(input);
  } catch (error) {
    if (!isPluginDynamicError(error) || error.code !== 'CONFIRMATION_REQUIRED' || process.stdin.isTTY !== true) throw error;
    process.stderr.write(`${error.message}\n`);
    const name = await typedName();
    const code = await ask('The code the agent printed on its terminal: ', signal);
    return backend.isolation({ ...input, confirm: { name, code } });
  }
}
