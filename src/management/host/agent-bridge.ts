import type { Content, IAgentRuntime, Logger, Memory, ModelTypeName, Task, UUID } from '@elizaos/core';
import { z } from 'zod';
import { codedError, PluginDynamicError } from '../../errors.js';
import { bounded } from '../../shared/bounded.js';
import { grantedPermissions, refuseUndeclared } from '../permissions/permission-grants.js';
import { toJsonSafe } from './json-frames.js';
import { SEND_MESSAGE_ARGS, type PostingScope } from './posting-scope.js';
import type { BudgetKind, BudgetRefusal } from './plugin-budgets.js';
import { CallbackContentSchema, FORWARDED_METHODS, type AgentFunctions, type ForwardedMethod } from './protocol.js';
import type { StorageQuota } from './storage-quota.js';

type BridgeLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export interface AgentBridgeOptions {
  runtime: IAgentRuntime;
  pluginName: string;
  logger: BridgeLogger;
  /** Bound of each forwarded call in the agent. */
  callTimeoutMs: number;
  /** Spends one use of the plugin's budget (kept across host restarts); the refusal when it is used up. */
  spend: (kind: BudgetKind) => BudgetRefusal | undefined;
  /** Registers a stub task worker in the agent for a worker the plugin registered in its host. */
  registerTaskWorker: (name: string, hasValidate: boolean) => void;
  /** The plugin's storage quota, which every cache write and delete goes through. */
  storage?: Pick<StorageQuota, 'setCache' | 'deleted'>;
  /** Where the plugin may post messages (runtime.sendMessageToTarget), and how many. */
  posting: PostingScope;
}

/** Callbacks of action and evaluator calls in flight, by the id the host is given instead. */
export class CallbackTable {
  private readonly callbacks = new Map<string, (content: Content) => Promise<Memory[]>>();
  private next = 1;

  add(callback: ((content: Content) => Promise<Memory[]>) | undefined): string | null {
    if (!callback) return null;
    const id = `cb${this.next++}`;
    this.callbacks.set(id, callback);
    return id;
  }

  get(id: string): ((content: Content) => Promise<Memory[]>) | undefined {
    return this.callbacks.get(id);
  }

  delete(id: string | null): void {
    if (id) this.callbacks.delete(id);
  }
}

const key = z.string().min(1).max(500);
const record = z.record(z.string(), z.unknown());
const uuid = z.string().min(1).max(100);

/** The argument shapes each forwarded call accepts from the host. */
const ARGS = {
  useModel: z.tuple([z.string().min(1).max(100), record.optional()]),
  getCache: z.tuple([key]),
  setCache: z.tuple([key, z.unknown()]),
  deleteCache: z.tuple([key]),
  createMemory: z.tuple([record, z.string().min(1).max(100), z.boolean().nullish()]),
  getMemories: z.tuple([record]),
  getMemoryById: z.tuple([uuid]),
  updateMemory: z.tuple([record.and(z.object({ id: uuid }))]),
  deleteMemory: z.tuple([uuid]),
  createTask: z.tuple([record.and(z.object({ name: z.string().min(1).max(200) }))]),
  getTasks: z.tuple([record]),
  getTask: z.tuple([uuid]),
  updateTask: z.tuple([uuid, record]),
  deleteTask: z.tuple([uuid]),
  emitEvent: z.tuple([z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(20)]), z.unknown()]),
  sendMessageToTarget: SEND_MESSAGE_ARGS,
} satisfies Record<ForwardedMethod, z.ZodType>;

const WINDOW_WORDS: Record<number, string> = { [60_000]: 'minute', [3_600_000]: 'hour', [86_400_000]: 'day' };
const KIND_WORDS: Record<BudgetKind, string> = { modelCalls: 'model calls', forwardedCalls: 'runtime calls', restarts: 'restarts' };

/** The error a refused budget gives the plugin: what, how many per which window, and from when again. */
export function budgetError(pluginName: string, refusal: BudgetRefusal): PluginDynamicError {
  const window = WINDOW_WORDS[refusal.windowMs] ?? `${refusal.windowMs} ms`;
  return codedError('HOST_LIMIT_REACHED', {
    plugin: pluginName,
    bound: `${refusal.limit} ${KIND_WORDS[refusal.kind]} per ${window} (more from ${new Date(refusal.resetsAt).toISOString()})`,
  });
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return bounded(promise, { ms, onTimeout: () => new PluginDynamicError('HOST_CALL_TIMEOUT', `${what} did not finish within ${ms} ms.`) });
}

/**
 * The agent's answers to one host: the narrow runtime's forwarded calls, each checked, bounded in
 * time and scoped to the plugin (its cache keys live under its own prefix, its memories are the
 * agent's), the callbacks of calls in flight, task worker registration and logging.
 */
export function createAgentBridge(opts: AgentBridgeOptions, callbacks: CallbackTable): AgentFunctions {
  const { runtime, pluginName } = opts;
  const src = `plugin-dynamic:host:${pluginName}`;
  const cacheKey = (k: string): string => `plugin-host:${pluginName}:${k}`;
  const spend = (kind: BudgetKind): void => {
    const refusal = opts.spend(kind);
    if (refusal) throw budgetError(pluginName, refusal);
  };
  let logWindow = { start: Date.now(), lines: 0, dropped: 0 };

  const handlers: Record<ForwardedMethod, (...args: never[]) => Promise<unknown>> = {
    useModel: async (type: string, params?: Record<string, unknown>) => {
      if (grantedPermissions(runtime, pluginName).modelCallsPerHour === 0) throw refuseUndeclared(runtime, pluginName, 'call the model');
      // Counted per plugin over the hour; its bound is the declared count (PluginBudgets).
      spend('modelCalls');
      return (runtime.useModel as (t: ModelTypeName, p: unknown) => Promise<unknown>)(type, params ?? {});
    },
    getCache: (k: string) => runtime.getCache(cacheKey(k)),
    setCache: (k: string, value: unknown) =>
      opts.storage ? opts.storage.setCache(k, value, () => runtime.setCache(cacheKey(k), value)) : runtime.setCache(cacheKey(k), value),
    deleteCache: async (k: string) => {
      const deleted = await runtime.deleteCache(cacheKey(k));
      await opts.storage?.deleted(k);
      return deleted;
    },
    createMemory: (memory: Record<string, unknown>, tableName: string, unique?: boolean | null) =>
      runtime.createMemory({ ...memory, agentId: runtime.agentId } as unknown as Memory, tableName, unique ?? undefined),
    getMemories: (params: Record<string, unknown>) => runtime.getMemories(params as never),
    getMemoryById: (id: string) => runtime.getMemoryById(id as UUID),
    updateMemory: (memory: Record<string, unknown>) => runtime.updateMemory({ ...memory, agentId: runtime.agentId } as never),
    deleteMemory: (id: string) => runtime.deleteMemory(id as UUID),
    createTask: (task: Record<string, unknown>) => runtime.createTask(task as unknown as Task),
    getTasks: (params: Record<string, unknown>) => runtime.getTasks(params),
    getTask: (id: string) => runtime.getTask(id as UUID),
    updateTask: (id: string, task: Record<string, unknown>) => runtime.updateTask(id as UUID, task),
    deleteTask: (id: string) => runtime.deleteTask(id as UUID),
    // Only declared events; listeners get the agent's runtime (the host's never crosses) and the plugin as the default source.
    emitEvent: async (event: string | string[], params: unknown) => {
      const declared = grantedPermissions(runtime, pluginName).events;
      const undeclared = (Array.isArray(event) ? event : [event]).find((name) => !declared.includes(name));
      if (undeclared !== undefined) throw refuseUndeclared(runtime, pluginName, `emit event ${undeclared}`);
      return runtime.emitEvent(event, { source: pluginName, ...(params as object), runtime } as never);
    },
    sendMessageToTarget: (target: Parameters<PostingScope['send']>[0], content: Parameters<PostingScope['send']>[1]) => opts.posting.send(target, content),
  };

  return {
    async forward(method, args) {
      if (!(FORWARDED_METHODS as readonly string[]).includes(method)) {
        throw new PluginDynamicError('HOST_UNSUPPORTED_METHOD', `runtime.${method} is not available to an isolated plugin.`);
      }
      const name = method as ForwardedMethod;
      const parsed = ARGS[name].safeParse(args);
      if (!parsed.success) {
        throw new PluginDynamicError('INVALID_INPUT', `runtime.${name} was called with arguments it does not accept: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
      }
      spend('forwardedCalls');
      const call = handlers[name] as (...a: unknown[]) => Promise<unknown>;
      return toJsonSafe(await within(call(...(parsed.data as unknown[])), opts.callTimeoutMs, `runtime.${name} for ${pluginName}`));
    },
    async callback(callbackId, content) {
      const callback = typeof callbackId === 'string' ? callbacks.get(callbackId) : undefined;
      if (!callback) throw new PluginDynamicError('INVALID_INPUT', 'The callback is no longer available (its call has finished).');
      const parsed = CallbackContentSchema.safeParse(content);
      if (!parsed.success) throw new PluginDynamicError('INVALID_INPUT', 'A callback needs a content object.');
      const memories = await within(callback(parsed.data as Content), opts.callTimeoutMs, `the callback of ${pluginName}`);
      return (toJsonSafe(memories ?? []) as unknown[]) ?? [];
    },
    async registerTaskWorker(name, hasValidate) {
      if (typeof name !== 'string' || name === '' || name.length > 200) throw new PluginDynamicError('INVALID_INPUT', 'A task worker needs a name.');
      opts.registerTaskWorker(name, hasValidate === true);
    },
    log(level, text) {
      const now = Date.now();
      if (now - logWindow.start > 1_000) {
        if (logWindow.dropped > 0) opts.logger.warn({ src }, `${logWindow.dropped} log lines from the plugin were dropped (over 100 a second).`);
        logWindow = { start: now, lines: 0, dropped: 0 };
      }
      if (++logWindow.lines > 100) {
        logWindow.dropped++;
        return;
      }
      const line = String(text).slice(0, 4_000);
      if (level === 'error' || level === 'fatal') opts.logger.error({ src }, line);
      else if (level === 'warn') opts.logger.warn({ src }, line);
      else if (level === 'debug' || level === 'trace') opts.logger.debug({ src }, line);
      else opts.logger.info({ src }, line);
    },
  };
}
