// Registrations an isolated plugin makes with runtime.register* while its init runs (core 1.7
// allows them, and the in-process loader keeps them): the host keeps them beside the plugin's own
// components and describes them to the agent when init ends. The agent checks them against the
// install-time inspection and registers stubs only for what passes. After init they are refused.
import { toJsonSafe } from './plugin-host-json.mjs';

const pick = (value) => toJsonSafe(value) ?? undefined;

export const describeAction = (a) => ({ name: a.name, description: a.description ?? '', similes: pick(a.similes) ?? [], examples: pick(a.examples) ?? [] });
export const describeProvider = (p) => ({ name: p.name, description: p.description, dynamic: p.dynamic, position: p.position, private: p.private });
export const describeEvaluator = (e) => ({
  name: e.name,
  description: e.description ?? '',
  similes: pick(e.similes) ?? [],
  examples: pick(e.examples) ?? [],
  alwaysRun: e.alwaysRun,
});

export function createInitRegistrations() {
  /** @type {any[]} */
  const actions = [];
  /** @type {any[]} */
  const providers = [];
  /** @type {any[]} */
  const evaluators = [];
  /** @type {Record<string, Function[]>} */
  const events = {};
  let open = false;

  /** @param {string} what @param {unknown} item */
  const named = (what, item) => {
    if (!open) throw new Error(`runtime.${what} is available to an isolated plugin only while its init runs`);
    if (!item || typeof item !== 'object' || typeof (/** @type {{ name?: unknown }} */ (item).name) !== 'string') throw new Error(`runtime.${what} needs an object with a name`);
    return item;
  };

  return {
    actions,
    providers,
    evaluators,
    events,
    /** The register* methods the narrow runtime offers. */
    methods: {
      registerAction: (/** @type {unknown} */ action) => void actions.push(named('registerAction', action)),
      registerProvider: (/** @type {unknown} */ provider) => void providers.push(named('registerProvider', provider)),
      registerEvaluator: (/** @type {unknown} */ evaluator) => void evaluators.push(named('registerEvaluator', evaluator)),
      registerEvent: (/** @type {unknown} */ name, /** @type {unknown} */ handler) => {
        named('registerEvent', { name });
        if (typeof handler !== 'function') throw new Error('runtime.registerEvent needs a handler function');
        (events[String(name)] ??= []).push(handler);
      },
    },
    begin() {
      open = true;
    },
    /** Closes registration and describes what init registered, for the agent to check. */
    end() {
      open = false;
      return {
        actions: actions.map(describeAction),
        providers: providers.map(describeProvider),
        evaluators: evaluators.map(describeEvaluator),
        events: Object.keys(events),
      };
    },
  };
}
