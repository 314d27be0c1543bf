import {
  Service,
  type Action,
  type ActionResult,
  type Evaluator,
  type IAgentRuntime,
  type Logger,
  type Plugin,
  type PluginEvents,
  type Provider,
} from '@elizaos/core';
import { toPluginDynamicError } from '../../errors.js';
import type { CallbackTable } from './agent-bridge.js';
import { toJsonSafe } from './json-frames.js';
import type { PluginHost } from './plugin-host.js';
import { isolatedRoute } from './isolated-route.js';
import {
  ActionAnswerSchema,
  InitRegistrationsSchema,
  ProviderAnswerSchema,
  ServiceStartAnswerSchema,
  type HostManifest,
  type InitRegistrations,
  type Json,
} from './protocol.js';

type StubLogger = Pick<Logger, 'warn'>;

export interface StubContext {
  host: PluginHost;
  callbacks: CallbackTable;
  logger: StubLogger;
  /** Bound of init and of each service start. */
  startTimeoutMs: number;
  /** Told the message of every action, provider and evaluator call (where the plugin may post). */
  invokedFrom?: (message: unknown) => void;
  /** What init registered in the host that may have a stub here (checked against the inspection). */
  admit: (registered: InitRegistrations) => InitRegistrations;
}

const safe = (value: unknown): Json => (toJsonSafe(value) ?? null) as Json;
const reason = (error: unknown): string => toPluginDynamicError(error).message;

function actionStub(ctx: StubContext, a: HostManifest['actions'][number], src: string): Action {
  return {
    name: a.name,
    description: a.description,
    similes: a.similes,
    examples: a.examples as Action['examples'],
    validate: async (_runtime, message, state) => {
      try {
        return (await ctx.host.call('actionValidate', [a.name, safe(message), safe(state)])) === true;
      } catch (error) {
        ctx.logger.warn({ src, action: a.name }, `validate failed: ${reason(error)}`);
        return false;
      }
    },
    handler: async (_runtime, message, state, options, callback, responses): Promise<ActionResult> => {
      ctx.invokedFrom?.(message);
      const id = ctx.callbacks.add(callback);
      try {
        const answer = ActionAnswerSchema.parse(
          await ctx.host.call('actionHandler', [a.name, safe(message), safe(state), safe(options), id, safe(responses)]),
        );
        return (answer ?? { success: true }) as ActionResult;
      } catch (error) {
        const e = toPluginDynamicError(error, 'HOST_CALL_FAILED');
        ctx.logger.warn({ src, action: a.name, code: e.code }, e.message);
        return { success: false, error: e.message, text: `${a.name} failed: ${e.message}`, data: { code: e.code } };
      } finally {
        ctx.callbacks.delete(id);
      }
    },
  };
}

function providerStub(ctx: StubContext, p: HostManifest['providers'][number], src: string): Provider {
  return {
    name: p.name,
    ...(p.description === undefined ? {} : { description: p.description }),
    ...(p.dynamic === undefined ? {} : { dynamic: p.dynamic }),
    ...(p.position === undefined ? {} : { position: p.position }),
    ...(p.private === undefined ? {} : { private: p.private }),
    get: async (_runtime, message, state) => {
      ctx.invokedFrom?.(message);
      try {
        return ProviderAnswerSchema.parse(await ctx.host.call('providerGet', [p.name, safe(message), safe(state)]));
      } catch (error) {
        const e = toPluginDynamicError(error, 'HOST_CALL_FAILED');
        ctx.logger.warn({ src, provider: p.name, code: e.code }, e.message);
        return { text: '', values: {}, data: { error: e.message, code: e.code } };
      }
    },
  };
}

function evaluatorStub(ctx: StubContext, e: HostManifest['evaluators'][number], src: string): Evaluator {
  return {
    name: e.name,
    description: e.description,
    similes: e.similes,
    examples: e.examples as Evaluator['examples'],
    ...(e.alwaysRun === undefined ? {} : { alwaysRun: e.alwaysRun }),
    validate: async (_runtime, message, state) => {
      try {
        return (await ctx.host.call('evaluatorValidate', [e.name, safe(message), safe(state)])) === true;
      } catch (error) {
        ctx.logger.warn({ src, evaluator: e.name }, `validate failed: ${reason(error)}`);
        return false;
      }
    },
    handler: async (_runtime, message, state, options, callback, responses) => {
      ctx.invokedFrom?.(message);
      const id = ctx.callbacks.add(callback);
      try {
        return ActionAnswerSchema.parse(
          await ctx.host.call('evaluatorHandler', [e.name, safe(message), safe(state), safe(options), id, safe(responses)]),
        ) as ActionResult | null ?? undefined;
      } catch (error) {
        const failure = toPluginDynamicError(error, 'HOST_CALL_FAILED');
        ctx.logger.warn({ src, evaluator: e.name, code: failure.code }, failure.message);
        return { success: false, error: failure.message };
      } finally {
        ctx.callbacks.delete(id);
      }
    },
  };
}

/** A Service class whose instance forwards its plugin service's methods to the host. */
function serviceStub(ctx: StubContext, s: HostManifest['services'][number]): typeof Service {
  class IsolatedService extends Service {
    static override serviceType = s.serviceType;
    override capabilityDescription = s.capabilityDescription;

    static override async start(runtime: IAgentRuntime): Promise<Service> {
      const answer = ServiceStartAnswerSchema.parse(await ctx.host.call('serviceStart', [s.serviceType], ctx.startTimeoutMs));
      const instance = new IsolatedService(runtime);
      instance.capabilityDescription = answer.capabilityDescription || s.capabilityDescription;
      for (const method of answer.methods) {
        if (method in instance) continue;
        Object.defineProperty(instance, method, {
          enumerable: true,
          value: (...args: unknown[]) => ctx.host.call('serviceCall', [s.serviceType, method, args.map(safe)]),
        });
      }
      return instance;
    }

    override async stop(): Promise<void> {
      if (ctx.host.alive) await ctx.host.call('serviceStop', [s.serviceType]).catch(() => undefined);
    }
  }
  return IsolatedService;
}

/**
 * The plugin the agent registers for an isolated plugin: the same names and descriptions, every
 * component a stub that forwards the call to the host and returns its (checked) answer. Loaded
 * through the ordinary loader, so the ledger and unload work exactly as for in-process plugins.
 */
export function buildStubPlugin(ctx: StubContext, manifest: HostManifest): Plugin {
  const src = `plugin-dynamic:host:${manifest.name}`;
  const eventStub = (name: string) => async (payload: unknown) => {
    try {
      await ctx.host.call('event', [name, safe(payload)]);
    } catch (error) {
      ctx.logger.warn({ src, event: name }, `event handler failed: ${reason(error)}`);
    }
  };
  const events: PluginEvents = {};
  for (const name of manifest.events) (events as Record<string, ((payload: unknown) => Promise<void>)[]>)[name] = [eventStub(name)];
  const models: Record<string, (runtime: IAgentRuntime, params: unknown) => Promise<unknown>> = {};
  for (const type of manifest.models) {
    models[type] = async (_runtime: IAgentRuntime, params: unknown) => ctx.host.call('model', [type, safe(params)]);
  }
  return {
    name: manifest.name,
    description: manifest.description,
    init: async (config, runtime) => {
      const answer = await ctx.host.call('init', [Object.fromEntries(Object.entries(config ?? {}).filter(([, v]) => typeof v === 'string'))], ctx.startTimeoutMs);
      // What init registered in the host (core 1.7 allows register* there): stubs for what the
      // inspection showed, registered now so the loader's ledger takes them out again on unload.
      const registered = InitRegistrationsSchema.parse(answer ?? { actions: [], providers: [], evaluators: [], events: [] });
      const kept = ctx.admit(registered);
      for (const a of kept.actions) runtime.registerAction(actionStub(ctx, a, src));
      for (const p of kept.providers) runtime.registerProvider(providerStub(ctx, p, src));
      for (const e of kept.evaluators) runtime.registerEvaluator(evaluatorStub(ctx, e, src));
      for (const name of kept.events) runtime.registerEvent(name, eventStub(name));
    },
    actions: manifest.actions.map((a) => actionStub(ctx, a, src)),
    providers: manifest.providers.map((p) => providerStub(ctx, p, src)),
    evaluators: manifest.evaluators.map((e) => evaluatorStub(ctx, e, src)),
    services: manifest.services.map((s) => serviceStub(ctx, s)),
    routes: manifest.routes.filter((r) => r.type !== 'STATIC').map((r) => isolatedRoute({ host: ctx.host, logger: ctx.logger, plugin: manifest.name }, r)),
    ...(manifest.models.length > 0 ? { models: models } : {}),
    ...(manifest.events.length > 0 ? { events } : {}),
  };
}
