import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, runCli } from './cli-process.js';

const SERVER_KEY = 'the-servers-own-api-key';
const AGENT_ID = '0b5d1d4e-0000-4000-8000-000000000001';

/**
 * An HTTP server that guards /api the way @elizaos/server 1.7.2 does when ELIZA_SERVER_AUTH_TOKEN
 * is set (401 with its own JSON body unless X-API-KEY matches); behind it, the agent list and
 * plugin-dynamic's routes, whose changes need our own bearer token.
 */
function handle(req: IncomingMessage, res: ServerResponse): void {
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.headers['x-api-key'] !== SERVER_KEY) {
    json(401, { error: 'API key required', message: 'Missing or invalid X-API-KEY header' });
    return;
  }
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/api/agents') {
    json(200, { success: true, data: { agents: [{ id: AGENT_ID, name: 'Builder', status: 'active' }] } });
  } else if (path === `/api/agents/${AGENT_ID}/plugins/plugin-dynamic/plugins` && req.method === 'GET') {
    json(200, { success: true, data: [] });
  } else if (path.startsWith(`/api/agents/${AGENT_ID}/plugins/plugin-dynamic/`) && req.method === 'POST') {
    json(401, { success: false, error: { code: 'UNAUTHORIZED', message: 'Missing or wrong bearer token.' } });
  } else {
    json(404, { success: false, error: { code: 'NOT_FOUND', message: 'no such route' } });
  }
}

describe('plugin-dynamic --agent-url against a server that answers 401', () => {
  let server: Server;
  let url: string;
  const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent' };

  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('says the server wants its API key, not that the agent is unreachable, for every form of the address', async () => {
    for (const address of [url, `${url}/api/agents/${AGENT_ID}`, `${url}/api/agents/${AGENT_ID}/plugins/plugin-dynamic`]) {
      const result = await runCli(['--agent-url', address, 'list'], { env });
      expect(result.code).toBe(1);
      const first = result.stderr.split('\n')[0] ?? '';
      expect(first).toMatch(/^error SERVER_API_KEY_REQUIRED: The ElizaOS server refused \S+ with HTTP 401: "API key required": /);
      expect(first).toContain('Set ELIZA_SERVER_AUTH_TOKEN');
      expect(result.stderr).not.toContain('AGENT_UNREACHABLE');
    }
  });

  it('says the key is wrong when ELIZA_SERVER_AUTH_TOKEN was sent and refused, in the --json envelope too', async () => {
    const result = await runCli(['--agent-url', url, '--json', 'list'], { env: { ...env, ELIZA_SERVER_AUTH_TOKEN: 'not-the-key' } });
    expect(result.code).toBe(1);
    const answer = envelope(result.stdout);
    expect(answer).toMatchObject({ success: false, error: { code: 'SERVER_API_KEY_REQUIRED', hint: expect.stringContaining('ELIZA_SERVER_AUTH_TOKEN') } });
    expect(!answer.success && answer.error.message).toContain('is not the one the server was started with');
  });

  it('works with the server key, and names our own token (--token / PLUGIN_DYNAMIC_API_TOKEN) when a change is refused', async () => {
    const withKey = { ...env, ELIZA_SERVER_AUTH_TOKEN: SERVER_KEY };
    const listed = await runCli(['--agent-url', url, '--json', 'list'], { env: withKey });
    expect(listed.code, listed.stderr).toBe(0);
    expect(envelope(listed.stdout)).toEqual({ success: true, data: [] });

    const refused = await runCli(['--agent-url', url, 'uninstall', 'plugin-notes'], { env: withKey });
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')[0]).toBe(
      "error UNAUTHORIZED: Missing or wrong bearer token. Changes need the agent's PLUGIN_DYNAMIC_API_TOKEN: pass it with --token or set PLUGIN_DYNAMIC_API_TOKEN.",
    );
    const wrong = await runCli(['--agent-url', url, '--token', 'a-wrong-token-0123456789', 'uninstall', 'plugin-notes'], { env: withKey });
    expect(wrong.stderr.split('\n')[0]).toContain("The token sent (--token or PLUGIN_DYNAMIC_API_TOKEN) is not the agent's PLUGIN_DYNAMIC_API_TOKEN.");
  });
});
