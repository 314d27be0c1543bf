import { z } from 'zod';
import { codedError, PluginDynamicError } from '../errors.js';
import { PLUGIN_ROUTE_PREFIX } from '../operations/index.js';

const AgentList = z.object({
  success: z.literal(true),
  data: z.object({ agents: z.array(z.object({ id: z.string(), name: z.string(), status: z.string().optional() })) }),
});

/**
 * A 401 or 403 that is not plugin-dynamic's own answer: the ElizaOS server itself refused the
 * request, because ELIZA_SERVER_AUTH_TOKEN is set on it and the request carried no (or another) key.
 */
export function serverAuthError(status: number, url: string, opts: { sentServerKey: boolean; body?: unknown }): PluginDynamicError {
  const said = typeof opts.body === 'object' && opts.body !== null && 'error' in opts.body && typeof opts.body.error === 'string' ? `: "${opts.body.error}"` : '';
  const cause = opts.sentServerKey
    ? 'the key in ELIZA_SERVER_AUTH_TOKEN is not the one the server was started with. Set ELIZA_SERVER_AUTH_TOKEN to the server\'s key'
    : 'the server is protected by its own API key and none was sent. Set ELIZA_SERVER_AUTH_TOKEN to the server\'s key (the value of ELIZA_SERVER_AUTH_TOKEN where the server runs); the CLI sends it as X-API-KEY';
  return codedError('SERVER_API_KEY_REQUIRED', { request: `${url} with HTTP ${status}${said}`, problem: cause });
}

/**
 * Turns what a person types into the plugin's base address on an ElizaOS 1.x server:
 * - `.../api/agents/<id>/plugins/plugin-dynamic` is used as it is;
 * - `.../api/agents/<id>` gets the plugin prefix appended;
 * - a server address (`http://127.0.0.1:3000`) is resolved through `GET /api/agents`, picking
 *   `agent` (id or name) or the only agent running there.
 */
export async function resolvePluginUrl(
  input: string,
  opts: { agent?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<string> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw codedError('INVALID_INPUT', { input: `--agent-url "${input}"`, problem: 'is not a URL (e.g. http://127.0.0.1:3000).' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw codedError('INVALID_INPUT', { input: '--agent-url', problem: `must be http:// or https://, not ${url.protocol}` });
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (base.endsWith(`/plugins${PLUGIN_ROUTE_PREFIX}`)) return base;
  if (/\/api\/agents\/[^/]+$/.test(base)) return `${base}/plugins${PLUGIN_ROUTE_PREFIX}`;

  const listUrl = `${base}/api/agents`;
  let body: unknown;
  let status: number;
  try {
    const res = await fetch(listUrl, {
      headers: { Accept: 'application/json', ...opts.headers },
      signal: opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000),
    });
    status = res.status;
    body = await res.json().catch(() => undefined);
  } catch (error) {
    throw codedError('AGENT_UNREACHABLE', { action: 'list the agents', url: listUrl, problem: (error as Error).message }, { cause: error });
  }
  if (status === 401 || status === 403) {
    throw serverAuthError(status, listUrl, { sentServerKey: Object.keys(opts.headers ?? {}).some((h) => h.toLowerCase() === 'x-api-key'), body });
  }
  const parsed = AgentList.safeParse(body);
  if (!parsed.success) {
    throw codedError('AGENT_UNREACHABLE', { action: 'list the agents', url: listUrl, problem: 'the answer is not an ElizaOS agent list' });
  }
  const agents = parsed.data.data.agents;
  const wanted = opts.agent?.toLowerCase();
  const candidates = wanted
    ? agents.filter((a) => a.id.toLowerCase() === wanted || a.name.toLowerCase() === wanted)
    : agents.filter((a) => a.status === undefined || a.status === 'active');
  const names = agents.map((a) => a.name).join(', ') || 'none';
  if (candidates.length === 1 && candidates[0]) return `${base}/api/agents/${candidates[0].id}/plugins${PLUGIN_ROUTE_PREFIX}`;
  if (candidates.length === 0) {
    throw codedError('AGENT_UNREACHABLE', {
      action: wanted ? `find the agent "${opts.agent}"` : 'find an agent',
      url: base,
      problem: wanted ? `no such agent runs there (agents: ${names})` : 'no agent is running there',
    });
  }
  throw codedError('INVALID_INPUT', { input: 'Several agents', problem: `run at ${base} (${names}): choose one with --agent <name>.` });
}
