import { z } from 'zod';
import { PluginDynamicError } from '../errors.js';
import { PLUGIN_ROUTE_PREFIX } from '../http/api-contract.js';

const AgentList = z.object({
  success: z.literal(true),
  data: z.object({ agents: z.array(z.object({ id: z.string(), name: z.string(), status: z.string().optional() })) }),
});

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
    throw new PluginDynamicError('INVALID_INPUT', `--agent-url "${input}" is not a URL (e.g. http://127.0.0.1:3000).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PluginDynamicError('INVALID_INPUT', `--agent-url must be http:// or https://, not ${url.protocol}`);
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (base.endsWith(`/plugins${PLUGIN_ROUTE_PREFIX}`)) return base;
  if (/\/api\/agents\/[^/]+$/.test(base)) return `${base}/plugins${PLUGIN_ROUTE_PREFIX}`;

  const listUrl = `${base}/api/agents`;
  let body: unknown;
  try {
    const res = await fetch(listUrl, {
      headers: { Accept: 'application/json', ...opts.headers },
      signal: opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000),
    });
    body = await res.json();
  } catch (error) {
    throw new PluginDynamicError('AGENT_UNREACHABLE', `Could not list the agents at ${listUrl}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = AgentList.safeParse(body);
  if (!parsed.success) {
    throw new PluginDynamicError('AGENT_UNREACHABLE', `${listUrl} did not answer with an ElizaOS agent list.`);
  }
  const agents = parsed.data.data.agents;
  const wanted = opts.agent?.toLowerCase();
  const candidates = wanted
    ? agents.filter((a) => a.id.toLowerCase() === wanted || a.name.toLowerCase() === wanted)
    : agents.filter((a) => a.status === undefined || a.status === 'active');
  const names = agents.map((a) => a.name).join(', ') || 'none';
  if (candidates.length === 1 && candidates[0]) return `${base}/api/agents/${candidates[0].id}/plugins${PLUGIN_ROUTE_PREFIX}`;
  if (candidates.length === 0) {
    throw new PluginDynamicError(
      'AGENT_UNREACHABLE',
      wanted ? `No agent "${opts.agent}" runs at ${base} (agents: ${names}).` : `No agent is running at ${base}.`,
    );
  }
  throw new PluginDynamicError('INVALID_INPUT', `Several agents run at ${base} (${names}): choose one with --agent <name>.`);
}
