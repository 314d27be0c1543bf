import type { ActionResult, HandlerCallback, IAgentRuntime } from '@elizaos/core';

/** What a recipe decided: the answer a person reads, and data for the next action. */
export interface Outcome {
  success: boolean;
  text: string;
  data?: Record<string, unknown>;
}

export const ok = (text: string, data: Record<string, unknown> = {}): Outcome => ({ success: true, text, data });
export const no = (text: string, data: Record<string, unknown> = {}): Outcome => ({ success: false, text, data });

/**
 * Runs one action's work and turns it into the ActionResult ElizaOS expects: required settings are
 * checked first, a thrown error becomes a readable failure (an action never throws at the runtime),
 * and the answer is sent through the callback once.
 */
export async function answer(
  actionName: string,
  runtime: IAgentRuntime,
  callback: HandlerCallback | undefined,
  requiredSettings: readonly string[],
  work: () => Promise<Outcome>,
): Promise<ActionResult> {
  let outcome: Outcome;
  const unset = requiredSettings.filter((name) => !runtime.getSetting(name));
  if (unset.length > 0) {
    outcome = no(actionName + ' needs the setting(s) ' + unset.join(', ') + ' first.', { missingSettings: unset });
  } else {
    try {
      outcome = await work();
    } catch (error) {
      outcome = no(actionName + ' failed: ' + (error instanceof Error ? error.message : String(error)));
    }
  }
  await callback?.({ text: outcome.text, actions: [actionName] });
  const data = { actionName, ...(outcome.data ?? {}) };
  return outcome.success
    ? { success: true, text: outcome.text, values: { lastAction: actionName }, data }
    : { success: false, text: outcome.text, error: outcome.text, data };
}
