import type { IAgentRuntime } from '@elizaos/core';
import { redactDeep } from './redact.js';

/**
 * Wraps the runtime's composeState so that the state it hands out (values, text, and every
 * provider's result kept in data.providers) never holds a secret value, whatever a plugin did
 * with it: a plugin that copies its token into character.settings would otherwise see bootstrap's
 * CHARACTER provider put it in the prompt. The runtime's own cache keeps the raw state; every
 * caller gets a redacted copy. Returns a function that puts the original back.
 */
export function redactComposedState(runtime: IAgentRuntime, secrets: () => readonly string[]): () => void {
  const original = runtime.composeState.bind(runtime);
  const own = Object.prototype.hasOwnProperty.call(runtime, 'composeState');
  const redacting: IAgentRuntime['composeState'] = async (...args) => redactDeep(await original(...args), secrets());
  runtime.composeState = redacting;
  return () => {
    if (runtime.composeState !== redacting) return;
    // Back to the class's own method, or to what was set on the object before.
    if (own) runtime.composeState = original;
    else delete (runtime as Partial<IAgentRuntime>).composeState;
  };
}
