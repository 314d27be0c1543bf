import type { z } from 'zod';
import { PluginDynamicError, type ErrorCode, ERROR_CATALOGUE } from '../errors.js';
import type { JobRecord } from '../creation/jobs/job-record.js';
import { TERMINAL_JOB_STATUSES } from '../creation/jobs/job-status.js';
import { API, type ApiName } from '../http/api-contract.js';
import type { Backend } from './backend.js';

type Envelope = { success: true; data: unknown } | { success: false; error: { code: string; message: string } };

/**
 * The same commands against a running agent, through the plugin's HTTP routes. `agentUrl` is the
 * plugin's base address, e.g. http://127.0.0.1:3000/api/agents/<id>/plugins/plugin-dynamic.
 */
export function httpBackend(agentUrl: string, token: string | undefined): Backend {
  const base = agentUrl.replace(/\/+$/, '');
  async function call<T>(name: ApiName, input?: Record<string, unknown>): Promise<T> {
    const endpoint = API[name];
    const url = new URL(`${base}${endpoint.path}`);
    if (endpoint.method === 'GET' && input) for (const [k, v] of Object.entries(input)) url.searchParams.set(k, String(v));
    if ('body' in endpoint && input) (endpoint.body as z.ZodType).parse(input);
    let res: Response;
    try {
      res = await fetch(url, {
        method: endpoint.method,
        headers: {
          Accept: 'application/json',
          ...(endpoint.method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
          ...(endpoint.mutating && token ? { Authorization: `Bearer ${token}` } : {}),
        },
        ...(endpoint.method === 'POST' ? { body: JSON.stringify(input ?? {}) } : {}),
        signal: AbortSignal.timeout(600_000),
      });
    } catch (error) {
      throw new PluginDynamicError('INTERNAL', `Could not reach the agent at ${base}: ${(error as Error).message}`);
    }
    const envelope = (await res.json().catch(() => undefined)) as Envelope | undefined;
    if (!envelope) throw new PluginDynamicError('INTERNAL', `The agent answered HTTP ${res.status} without JSON; is ${base} the plugin's address?`);
    if (!envelope.success) {
      const code = (envelope.error.code in ERROR_CATALOGUE ? envelope.error.code : 'INTERNAL') as ErrorCode;
      throw new PluginDynamicError(code, envelope.error.message);
    }
    return envelope.data as T;
  }
  const backend: Backend = {
    mode: 'agent',
    search: (q, o) => call('search', { q, limit: o.limit, all: String(!o.v1Only) }),
    info: (name) => call('info', { name }),
    list: () => call('list'),
    install: (source, activate) => call('install', { source, activate }),
    configure: (plugin, settings) => call('configure', { plugin, settings }),
    lifecycle: (verb, plugin) => call(verb, { plugin }),
    uninstall: (plugin) => call('uninstall', { plugin }),
    createFromSpec: async (specification, opts) => (await call<{ job: JobRecord }>('create', { specification, ...opts })).job,
    createFromDescription: (description, opts) => call('create', { description, ...opts }),
    jobs: () => call('jobs'),
    job: (id) => call('job', { id }),
    cancel: (id) => call('cancel', { id }),
    follow: async (id, opts) => {
      let seen = 0;
      for (;;) {
        const job = await call<JobRecord>('job', { id });
        if (!opts.json) for (const line of job.log.slice(seen)) process.stderr.write(`  ${line.message}\n`);
        seen = job.log.length;
        if (TERMINAL_JOB_STATUSES.includes(job.status)) return job;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    },
    capabilities: () => call('capabilities'),
    runAction: () => Promise.reject(new PluginDynamicError('INVALID_INPUT', '--run-action works with the headless runtime only; send the agent a message instead.')),
    close: async () => undefined,
  };
  return backend;
}
