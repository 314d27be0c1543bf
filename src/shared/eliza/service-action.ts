import type {
  Action,
  ActionExample,
  ActionResult,
  HandlerCallback,
  IAgentRuntime,
  Memory,
  Service,
} from '@elizaos/core';
import { codedError, toPluginDynamicError } from '../../errors.js';
import { messageText, structuredParams, type ActionParameters } from './action-input.js';
import { askModelForParams } from './ask-model-params.js';

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
  /** The declared parameters found in `options.parameters` and in JSON in the message. */
  params: Record<string, unknown>;
  /** The message text. */
  text: string;
  /**
   * Asks the agent's model for declared parameters the body could not read from the message
   * (a small JSON-schema question, the answer checked by type); empty without a model.
   */
  askModel: (names: string[]) => Promise<Record<string, unknown>>;
}

export interface ServiceActionDefinition<S> {
  name: string;
  similes: string[];
  description: string;
  serviceType: string;
  examples?: ActionExample[][];
  /** The parameters the action reads; nothing else in the handler's options or the message is one. */
  parameters: ActionParameters;
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
          throw codedError('INTERNAL', { what: `The ${def.serviceType} service`, problem: 'is not running.' });
        }
        const outcome = await def.run({
          service,
          runtime,
          message,
          params: structuredParams(message, options, def.parameters),
          text: messageText(message),
          askModel: (names) =>
            askModelForParams(
              runtime,
              def.name,
              Object.fromEntries(Object.entries(def.parameters).filter(([n]) => names.includes(n))),
              messageText(message),
            ),
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
