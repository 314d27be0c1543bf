// The plugin host: runs one isolated plugin in this process (inside the sandbox), talking to the
// agent over fd 3 with birpc (one JSON document per line). The agent registers stubs for what the
// manifest lists and forwards every call here; this side calls the plugin with the narrow runtime.
// The protocol's both directions are typed in src/management/host/protocol.ts.
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import { createBirpc } from 'birpc';
import { encodeFrame, readFrames, toJsonSafe } from './plugin-host-json.mjs';
import { createInitRegistrations, describeAction, describeEvaluator, describeProvider } from './plugin-host-registrations.mjs';
import { createNarrowRuntime } from './plugin-host-runtime.mjs';

/** @typedef {import('./plugin-host-protocol.d.mts').HostFunctions} HostFunctions */
/** @typedef {import('./plugin-host-protocol.d.mts').AgentFunctions} AgentFunctions */

const MAX_FRAME_BYTES = Number(process.env.PLUGIN_HOST_MAX_FRAME_BYTES) || 8 * 1024 * 1024;
const channel = new net.Socket({ fd: 3, readable: true, writable: true });
// Without its channel the host has no purpose: the agent is gone or has cut it off.
channel.on('close', () => process.exit(0));
channel.on('error', () => process.exit(0));

let plugin;
let runtime;
/** @type {Record<string, string>} */
let settings = {};
const services = new Map();
const taskWorkers = new Map();
const registered = createInitRegistrations();

/**
 * The value when it is a JSON object, else an empty one.
 * @param {import('./plugin-host-protocol.d.mts').Json} value
 * @returns {{ [key: string]: import('./plugin-host-protocol.d.mts').Json }}
 */
function asObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function looksLikePlugin(value) {
  return Boolean(value) && typeof value === 'object' && typeof value.name === 'string' && value.name !== '' && typeof value.description === 'string';
}

function findPluginExport(namespace) {
  const candidates = [namespace.default, namespace.plugin, ...Object.values(namespace), namespace.default?.default];
  return candidates.find(looksLikePlugin);
}

function must(list, name, kind) {
  const found = (list ?? []).find((item) => item.name === name);
  if (!found) throw new Error(`${kind} ${name} is not part of this plugin`);
  return found;
}

function serviceClass(type) {
  const found = (plugin.services ?? []).find((s) => s.serviceType === type);
  if (!found) throw new Error(`service ${type} is not part of this plugin`);
  return found;
}

function serviceMethods(instance) {
  const names = new Set();
  const hidden = new Set(['constructor', 'stop', 'start']);
  for (let proto = instance; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (hidden.has(name) || name.startsWith('_')) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (descriptor && typeof descriptor.value === 'function') names.add(name);
    }
  }
  return [...names];
}

function manifest() {
  return {
    name: plugin.name,
    description: plugin.description,
    actions: (plugin.actions ?? []).map(describeAction),
    providers: (plugin.providers ?? []).map(describeProvider),
    evaluators: (plugin.evaluators ?? []).map(describeEvaluator),
    services: (plugin.services ?? []).map((s) => ({ serviceType: String(s.serviceType ?? ''), capabilityDescription: typeof s.prototype?.capabilityDescription === 'string' ? s.prototype.capabilityDescription : '' })).filter((s) => s.serviceType !== ''),
    models: Object.keys(plugin.models ?? {}),
    routes: (plugin.routes ?? []).map((r, index) => ({ index, type: r.type, path: r.path, public: r.public, name: r.name, isMultipart: r.isMultipart })),
    events: Object.keys(plugin.events ?? {}),
    hasInit: typeof plugin.init === 'function',
  };
}

function callbackFor(callbackId) {
  if (!callbackId) return undefined;
  return async (content) => {
    const answer = await agent.callback(callbackId, toJsonSafe(content));
    return Array.isArray(answer) ? answer : [];
  };
}

/** A stand-in for an express response: records what the route handler answers. */
function recordingResponse() {
  /** @type {import('./plugin-host-protocol.d.mts').RouteAnswer} */
  const answer = { status: 200, headers: {}, body: undefined, sent: false };
  const res = {
    status(code) {
      answer.status = Number(code) || 200;
      return res;
    },
    setHeader(name, value) {
      answer.headers[String(name).toLowerCase()] = String(value);
      return res;
    },
    set(name, value) {
      return res.setHeader(name, value);
    },
    json(body) {
      answer.body = toJsonSafe(body);
      answer.sent = true;
      return res;
    },
    send(body) {
      answer.body = typeof body === 'string' ? body : toJsonSafe(body);
      answer.sent = true;
      return res;
    },
    end(body) {
      if (body !== undefined) answer.body = typeof body === 'string' ? body : toJsonSafe(body);
      answer.sent = true;
      return res;
    },
  };
  return { res, answer };
}

/** Set by `warm`: a spare host, started before any plugin, that takes one only by hand-off. */
let warmState;
/** Set by the first hello or hand-off. */
let adopted = false;

/**
 * Takes the plugin the agent names: the narrow runtime, the egress bridge when it has network, then
 * the plugin's import. Once per host: a host serves one plugin for its whole life.
 * @param {import('./plugin-host-protocol.d.mts').HostPluginGrant} opts
 */
async function adopt(opts) {
  if (adopted) throw new Error('this host already serves a plugin');
  adopted = true;
  settings = opts.settings ?? {};
  runtime = createNarrowRuntime({
    agentId: opts.agentId,
    character: opts.character,
    settings: () => settings,
    forward: (method, args) => agent.$call('forward', method, toJsonSafe(args)),
    log: (level, text) => void agent.$callEvent('log', level, String(text).slice(0, 4000)).catch(() => undefined),
    services,
    registerTaskWorker: async (worker) => {
      if (!worker || typeof worker.name !== 'string' || typeof worker.execute !== 'function') throw new Error('registerTaskWorker needs { name, execute }');
      // Kept here only while the agent takes it: a worker its permissions do not declare is refused there.
      const previous = taskWorkers.get(worker.name);
      taskWorkers.set(worker.name, worker);
      try {
        await agent.registerTaskWorker(worker.name, typeof worker.validate === 'function');
      } catch (error) {
        if (previous) taskWorkers.set(worker.name, previous);
        else taskWorkers.delete(worker.name);
        throw error;
      }
    },
    getTaskWorker: (name) => taskWorkers.get(name),
    registrations: registered.methods,
  });
  // The plugin's one way out: its HTTP(S) goes to the agent's egress proxy, which passes only the
  // hosts it declared. Installed before the plugin's code runs; without a socket there is no network.
  if (typeof opts.egressSocket === 'string' && opts.egressSocket !== '') {
    const { installEgressBridge } = await import('./egress-bridge.mjs');
    await installEgressBridge(opts.egressSocket);
  }
  const namespace = await import(pathToFileURL(opts.entry).href);
  plugin = findPluginExport(namespace);
  if (!plugin) throw new Error(`${opts.entry} exports no ElizaOS Plugin (an object with a name and a description)`);
  return manifest();
}

/** @type {HostFunctions} */
const functions = {
  async hello(opts) {
    if (warmState) throw new Error('a warm host takes its plugin by hand-off only');
    return adopt(opts);
  },
  async warm(opts) {
    if (adopted || warmState) throw new Error('this host is already warm or serves a plugin');
    // What every host needs, loaded before any plugin: the hand-off's checker, and what the agent
    // names (@elizaos/core, which most plugins import, resolved from here as the plugin's import is).
    const { z } = await import('zod');
    for (const specifier of opts.preload) await import(specifier);
    const text = z.string().max(20_000);
    warmState = {
      handoff: z
        .object({
          entry: z.string().min(1).max(4_096),
          agentId: z.string().min(1).max(100),
          character: z.unknown(),
          settings: z.record(z.string().max(200), text).refine((s) => Object.keys(s).length <= 200),
          egressSocket: z.string().min(1).max(107).optional(),
        })
        .strict(),
    };
    return { rssBytes: process.memoryUsage().rss };
  },
  async handoff(opts) {
    if (!warmState) throw new Error('a hand-off goes to a warm host only');
    const parsed = warmState.handoff.safeParse(opts);
    if (!parsed.success) throw new Error(`the hand-off does not have the shape this host accepts: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return adopt(/** @type {import('./plugin-host-protocol.d.mts').HostPluginGrant} */ (parsed.data));
  },
  async init(config) {
    registered.begin();
    try {
      if (typeof plugin.init === 'function') await plugin.init(config ?? {}, runtime);
    } catch (error) {
      registered.end();
      throw error;
    }
    // What init registered, described for the agent to check.
    return registered.end();
  },
  pushSettings(values) {
    settings = values ?? {};
  },
  ping() {
    return 'pong';
  },
  async actionValidate(name, message, state) {
    return (await must([...(plugin.actions ?? []), ...registered.actions], name, 'action').validate(runtime, message, state ?? undefined)) === true;
  },
  async actionHandler(name, message, state, options, callbackId, responses) {
    const action = must([...(plugin.actions ?? []), ...registered.actions], name, 'action');
    return toJsonSafe(await action.handler(runtime, message, state ?? undefined, options ?? {}, callbackFor(callbackId), responses ?? undefined)) ?? null;
  },
  async providerGet(name, message, state) {
    return toJsonSafe(await must([...(plugin.providers ?? []), ...registered.providers], name, 'provider').get(runtime, message, state ?? {})) ?? { text: '' };
  },
  async evaluatorValidate(name, message, state) {
    return (await must([...(plugin.evaluators ?? []), ...registered.evaluators], name, 'evaluator').validate(runtime, message, state ?? undefined)) === true;
  },
  async evaluatorHandler(name, message, state, options, callbackId, responses) {
    const evaluator = must([...(plugin.evaluators ?? []), ...registered.evaluators], name, 'evaluator');
    return toJsonSafe(await evaluator.handler(runtime, message, state ?? undefined, options ?? {}, callbackFor(callbackId), responses ?? undefined)) ?? null;
  },
  async model(type, params) {
    const handler = plugin.models?.[type];
    if (typeof handler !== 'function') throw new Error(`model ${type} is not part of this plugin`);
    return toJsonSafe(await handler(runtime, params ?? {})) ?? null;
  },
  async route(index, request) {
    const route = plugin.routes?.[index];
    if (!route || typeof route.handler !== 'function') throw new Error(`route ${index} is not part of this plugin`);
    const { res, answer } = recordingResponse();
    const req = asObject(request);
    const headers = asObject(req.headers ?? null);
    await route.handler({ ...req, get: (/** @type {unknown} */ h) => headers[String(h).toLowerCase()] }, res, runtime);
    return answer;
  },
  async event(name, payload) {
    for (const handler of [...(plugin.events?.[name] ?? []), ...(registered.events[name] ?? [])]) await handler({ ...asObject(payload), runtime });
  },
  async taskValidate(name, message, state) {
    const worker = taskWorkers.get(name);
    if (!worker) throw new Error(`task worker ${name} is not registered`);
    return typeof worker.validate === 'function' ? (await worker.validate(runtime, message, state)) === true : true;
  },
  async taskExecute(name, options, task) {
    const worker = taskWorkers.get(name);
    if (!worker) throw new Error(`task worker ${name} is not registered`);
    await worker.execute(runtime, options ?? {}, task);
  },
  async serviceStart(type) {
    const Cls = serviceClass(type);
    const instance = typeof Cls.start === 'function' ? await Cls.start(runtime) : new Cls(runtime);
    services.set(type, instance);
    return { methods: serviceMethods(instance), capabilityDescription: typeof instance.capabilityDescription === 'string' ? instance.capabilityDescription : '' };
  },
  async serviceCall(type, method, args) {
    const instance = services.get(type);
    if (!instance) throw new Error(`service ${type} is not running`);
    if (!serviceMethods(instance).includes(method)) throw new Error(`service ${type} has no method ${method}`);
    return toJsonSafe(await instance[method](...(Array.isArray(args) ? args : []))) ?? null;
  },
  async serviceStop(type) {
    const instance = services.get(type);
    services.delete(type);
    if (instance && typeof instance.stop === 'function') await instance.stop();
  },
};

/** @type {import('birpc').BirpcReturn<AgentFunctions, HostFunctions>} */
const agent = createBirpc(functions, {
  post: (data) => channel.write(data),
  on: (fn) => readFrames(channel, MAX_FRAME_BYTES, fn, () => process.exit(70)),
  serialize: encodeFrame,
  // The agent bounds every call; this side waits as long as the agent lets it.
  timeout: 24 * 60 * 60 * 1000,
  onFunctionError: () => false,
});

// A plugin's stray rejection or throw is reported, not fatal: its pending calls fail on their own.
process.on('unhandledRejection', (reason) => {
  void agent.$callEvent('log', 'warn', `unhandled rejection in the plugin: ${reason instanceof Error ? reason.message : String(reason)}`.slice(0, 4000)).catch(() => undefined);
});
