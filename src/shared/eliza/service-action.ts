import type {
  Action,
  ActionExample,
  ActionResult,
  HandlerCallback,
  IAgentRuntime,
  Memory,
  Service,
} from '@elizaos/core';
import { PluginDynamicError, toPluginDynamicError } from '../../errors.js';
import { messageText, structuredParams } from './action-input.js';

/** What an action's body returns: a readable answer and the data behind it. */
export interface ActionOutcome {
  text: string;
  data?: Record<string, unknown>;
  values?: Record<string, unknown>;
}

export interface ActionContext<S> {
  service: S;
  runtime: IAgentRuntime;
  message: Memory;
  /** Parameters from the handler's options and from JSON in the message. */
  params: Record<string, unknown>;
  /** The message text. */
  text: string;
}

export interface ServiceActionDefinition<S> {
  name: string;
  similes: string[];
  description: string;
  serviceType: string;
  examples?: ActionExample[][];
  run: (ctx: ActionContext<S>) => Promise<ActionOutcome>;
}

/**
 * An ElizaOS action that is a thin shell over one service method: it gathers the parameters,
 * calls the body, and turns the outcome or the error (with its code) into an ActionResult and a
 * callback answer.
 */
export function serviceAction<S extends Service>(def: ServiceActionDefinition<S>): Action {
  return {
    name: def.name,
    similes: def.similes,
    description: def.description,
    examples: def.examples ?? [],
    validate: async (runtime: IAgentRuntime) => runtime.getService(def.serviceType) !== null,
    handler: async (runtime, message, _state, options, callback?: HandlerCallback): Promise<ActionResult> => {
      try {
        const service = runtime.getService<S>(def.serviceType);
        if (!service) {
          throw new PluginDynamicError('INTERNAL', `The ${def.serviceType} service is not running.`);
        }
        const outcome = await def.run({
          service,
          runtime,
          message,
          params: structuredParams(message, options),
          text: messageText(message),
        });
        await callback?.({ text: outcome.text, actions: [def.name] });
        return {
          success: true,
          text: outcome.text,
          values: outcome.values ?? {},
          data: { actionName: def.name, ...outcome.data },
        };
      } catch (error) {
        const e = toPluginDynamicError(error);
        // The same advice the CLI and the routes give, so a refusal in chat says what to do next.
        const text = `${e.message}${e.code === 'INVALID_INPUT' ? '' : ` (${e.code})`} ${e.hint}`;
        await callback?.({ text, actions: [def.name], error: true });
        return { success: false, text, error: e.message, data: { actionName: def.name, code: e.code, hint: e.hint } };
      }
    },
  };
}
