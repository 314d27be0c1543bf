import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ERROR_CATALOGUE, PluginDynamicError, type ErrorCode } from '../errors.js';
import type { JobRecord } from '../creation/jobs/job-record.js';
import { TERMINAL_JOB_STATUSES } from '../creation/jobs/job-status.js';
import { ApprovalRequestSchema } from '../management/permissions/approval-record.js';
import { callsOf, isMutating, type Operation } from '../operations/index.js';
import { resolvePluginUrl, serverAuthError } from './agent-url.js';
import type { Backend } from './backend.js';

const Envelope = z.union([
  z.object({ success: z.literal(true), data: z.unknown() }),
  z.object({ success: z.literal(false), error: z.object({ code: z.string(), message: z.string(), request: ApprovalRequestSchema.optional().catch(undefined) }) }),
]);

/** How often a job is polled while the CLI shows its progress. */
const POLL_MS = 500;
/** Failed polls in a row before giving up on the agent (it may be restarting). */
const POLL_FAILURES = 5;
const READ_TIMEOUT_MS = 60_000;
/** Installs run inside the request; the agent's own install timeout ends them first. */
const WRITE_TIMEOUT_MS = 900_000;

export interface HttpBackendOptions {
  agentUrl: string;
  /** Agent id or name when agentUrl is a server with several agents. */
  agent?: string;
  /** Bearer token for mutating routes (PLUGIN_DYNAMIC_API_TOKEN). */
  token?: string;
  /** The ElizaOS server's own key (ELIZA_SERVER_AUTH_TOKEN), sent as X-API-KEY when set. */
  serverKey?: string;
  signal: AbortSignal;
}

function invalid(error: z.ZodError, where: string): PluginDynamicError {
  const issue = error.issues[0];
  return new PluginDynamicError('INVALID_INPUT', `${issue?.path.join('.') || where}: ${issue?.message ?? 'invalid'}`);
}

/** The same commands against a running agent, through the plugin's HTTP routes (the operation table, src/operations). */
export async function httpBackend(opts: HttpBackendOptions): Promise<Backend> {
  const serverHeaders: Record<string, string> = opts.serverKey ? { 'X-API-KEY': opts.serverKey } : {};
  const base = await resolvePluginUrl(opts.agentUrl, {
    ...(opts.agent ? { agent: opts.agent } : {}),
    headers: serverHeaders,
    signal: opts.signal,
  });

  /** One operation over HTTP: its input checked here first, its answer parsed by its output schema. */
  async function call<O extends z.ZodType>(endpoint: Operation<z.ZodType | undefined, O>, input?: unknown): Promise<z.output<O>> {
    const url = new URL(`${base}${endpoint.path}`);
    let body: string | undefined;
    if (endpoint.input !== undefined) {
      const where = endpoint.method === 'GET' ? 'query' : 'body';
      const parsed = endpoint.input.safeParse(input ?? {});
      if (!parsed.success) throw invalid(parsed.error, where);
      if (where === 'body') body = JSON.stringify(parsed.data);
      else for (const [k, v] of Object.entries(parsed.data as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') url.searchParams.set(k, String(v));
    }
    const timeout = AbortSignal.timeout(endpoint.method === 'GET' ? READ_TIMEOUT_MS : WRITE_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(url, {
        method: endpoint.method,
        headers: {
          Accept: 'application/json',
          ...serverHeaders,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(isMutating(endpoint) && opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.any([opts.signal, timeout]),
      });
    } catch (error) {
      if (opts.signal.aborted) throw opts.signal.reason;
      throw new PluginDynamicError('AGENT_UNREACHABLE', `Could not reach the agent at ${base}: ${(error as Error).message}`, { cause: error });
    }
    const json: unknown = await res.json().catch(() => undefined);
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) {
      // Not our answer: a 401/403 is the server's own API key check, not a wrong address.
      if (res.status === 401 || res.status === 403) throw serverAuthError(res.status, url.pathname, { sentServerKey: opts.serverKey !== undefined, body: json });
      throw new PluginDynamicError('AGENT_UNREACHABLE', `${endpoint.method} ${url.pathname} answered HTTP ${res.status} without plugin-dynamic's JSON.`);
    }
    if (!envelope.data.success) {
      const { code, message, request } = envelope.data.error;
      if (code === 'UNAUTHORIZED') {
        const fix = opts.token
          ? 'The token sent (--token or PLUGIN_DYNAMIC_API_TOKEN) is not the agent\'s PLUGIN_DYNAMIC_API_TOKEN.'
          : 'Changes need the agent\'s PLUGIN_DYNAMIC_API_TOKEN: pass it with --token or set PLUGIN_DYNAMIC_API_TOKEN.';
        throw new PluginDynamicError('UNAUTHORIZED', `${message} ${fix}`);
      }
      if (code in ERROR_CATALOGUE) throw new PluginDynamicError(code as ErrorCode, message, request ? { details: { request } } : {});
      // The server's own 404: no such agent, or plugin-dynamic is not loaded in it.
      if (res.status === 404) throw new PluginDynamicError('AGENT_UNREACHABLE', `${url.pathname}: ${message}`);
      throw new PluginDynamicError('INTERNAL', `${code}: ${message}`);
    }
    return endpoint.output.parse(envelope.data.data);
  }

  const calls = callsOf((op) => (input) => call(op, input));
  const job = calls.job;

  return {
    ...calls,
    mode: 'agent',
    watchJob: async (id, onUpdate, signal) => {
      let seen = '';
      let failures = 0;
      for (;;) {
        signal.throwIfAborted();
        let current: JobRecord | undefined;
        try {
          current = await job({ id });
          failures = 0;
        } catch (error) {
          if ((error as PluginDynamicError).code !== 'AGENT_UNREACHABLE' || ++failures >= POLL_FAILURES) throw error;
        }
        if (current && current.updatedAt !== seen) {
          seen = current.updatedAt;
          onUpdate(current);
        }
        if (current && TERMINAL_JOB_STATUSES.includes(current.status)) return current;
        await sleep(POLL_MS, undefined, { signal });
      }
    },
    close: async () => undefined,
  };
}
