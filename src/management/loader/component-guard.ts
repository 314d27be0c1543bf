import type { Action, ActionResult, Evaluator, Logger, Plugin, Provider } from '@elizaos/core';

type GuardLogger = Pick<Logger, 'warn'>;

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A copy of the plugin whose actions, providers and evaluators cannot break the agent's reply: a
 * throw becomes a logged, failed result. Names, similes and examples stay as they are.
 */
export function guardPlugin(plugin: Plugin, logger: GuardLogger): Plugin {
  const src = `plugin-dynamic:guard:${plugin.name}`;
  const actions = plugin.actions?.map((action): Action => ({
    ...action,
    validate: async (...args) => {
      try {
        return await action.validate(...args);
      } catch (error) {
        logger.warn({ src, action: action.name }, `validate threw: ${reason(error)}`);
        return false;
      }
    },
    handler: async (...args): Promise<ActionResult> => {
      try {
        const result = await action.handler(...args);
        return result ?? { success: true };
      } catch (error) {
        logger.warn({ src, action: action.name }, `handler threw: ${reason(error)}`);
        return { success: false, error: reason(error), text: `${action.name} failed: ${reason(error)}` };
      }
    },
  }));
  const providers = plugin.providers?.map((provider): Provider => ({
    ...provider,
    get: async (...args) => {
      try {
        return await provider.get(...args);
      } catch (error) {
        logger.warn({ src, provider: provider.name }, `provider threw: ${reason(error)}`);
        return { text: '', values: {}, data: { error: reason(error) } };
      }
    },
  }));
  const evaluators = plugin.evaluators?.map((evaluator): Evaluator => ({
    ...evaluator,
    validate: async (...args) => {
      try {
        return await evaluator.validate(...args);
      } catch (error) {
        logger.warn({ src, evaluator: evaluator.name }, `validate threw: ${reason(error)}`);
        return false;
      }
    },
    handler: async (...args) => {
      try {
        return await evaluator.handler(...args);
      } catch (error) {
        logger.warn({ src, evaluator: evaluator.name }, `evaluator threw: ${reason(error)}`);
        return { success: false, error: reason(error) };
      }
    },
  }));
  return {
    ...plugin,
    ...(actions ? { actions } : {}),
    ...(providers ? { providers } : {}),
    ...(evaluators ? { evaluators } : {}),
  };
}
