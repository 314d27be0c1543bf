import { FORWARDED_METHODS } from './plugin-host-forwarded.mjs';

// The narrow runtime an isolated plugin sees instead of the agent's AgentRuntime. It holds its
// own declared settings (pushed in by the agent), a character copy without secrets, a logger, the
// plugin's own services, and a few calls forwarded to the agent, which bounds each in time (and
// useModel in count). Anything else throws an error that names what was asked for.

// Read by Promise resolution, inspection and serialisers: answering undefined keeps the object
// from looking like a thenable or a special value.
const QUIET = new Set(['then', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType']);

export class UnsupportedRuntimeMethodError extends Error {
  constructor(name) {
    super(`runtime.${name} is not available to an isolated plugin; it offers getSetting, useModel, cache, memories, tasks, emitEvent, registerTaskWorker, register* during init, getService (own services), agentId, character and logger.`);
    this.name = 'UnsupportedRuntimeMethodError';
    this.code = 'HOST_UNSUPPORTED_METHOD';
  }
}

/**
 * @param {object} opts
 * @param {string} opts.agentId
 * @param {object} opts.character
 * @param {() => Record<string, string>} opts.settings
 * @param {(method: string, args: unknown[]) => Promise<unknown>} opts.forward
 * @param {(level: string, text: string) => void} opts.log
 * @param {Map<string, unknown>} opts.services
 * @param {(worker: object) => Promise<void>} opts.registerTaskWorker
 * @param {(name: string) => object | undefined} opts.getTaskWorker
 * @param {Record<string, (...args: any[]) => void>} opts.registrations register* calls, accepted while init runs
 */
export function createNarrowRuntime(opts) {
  const logger = {};
  for (const level of ['trace', 'debug', 'info', 'log', 'success', 'warn', 'error', 'fatal']) {
    logger[level] = (...parts) => opts.log(level, parts.map((p) => (typeof p === 'string' ? p : safeText(p))).join(' '));
  }
  logger.child = () => logger;
  const base = {
    agentId: opts.agentId,
    character: opts.character,
    logger,
    getSetting: (key) => {
      const values = opts.settings();
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : null;
    },
    getService: (type) => {
      if (opts.services.has(type)) return opts.services.get(type) ?? null;
      throw new UnsupportedRuntimeMethodError(`getService('${String(type)}') (only the plugin's own services)`);
    },
    hasService: (type) => opts.services.has(type),
    registerTaskWorker: (worker) => opts.registerTaskWorker(worker),
    getTaskWorker: (name) => opts.getTaskWorker(name),
    ...opts.registrations,
  };
  for (const name of FORWARDED_METHODS) base[name] = (...args) => opts.forward(name, args);
  return new Proxy(base, {
    get(target, prop) {
      if (typeof prop === 'symbol' || QUIET.has(prop)) return target[prop];
      if (Object.prototype.hasOwnProperty.call(target, prop)) return target[prop];
      return () => {
        throw new UnsupportedRuntimeMethodError(prop);
      };
    },
    set(_target, prop) {
      throw new UnsupportedRuntimeMethodError(`${String(prop)} (assignment)`);
    },
  });
}

function safeText(value) {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
