import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';

const TOKEN = 'server-routes-token-0123456789';
const SERVER_KEY = 'server-routes-key-0123456789';

interface Answer {
  status: number;
  body: unknown;
}

/*
 * What the real @elizaos/server 1.7.2 does with plugin-dynamic's routes: where it serves them, what
 * it answers before they run, and the error shape plugin-dynamic keeps wherever it is in control.
 */
describe('plugin-dynamic routes in the real ElizaOS server', () => {
  let registry: FixtureServer;
  let server: RealAgentServer;

  async function call(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { 'Content-Type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body };
  }

  beforeAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    registry = await startFixtureServer();
    server = await startRealAgentServer({
      settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN, PLUGIN_DYNAMIC_REGISTRY_URL: `${registry.url}/registry/generated-registry.json` },
    });
  });
  afterAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    await server?.close();
    await registry?.close();
  });

  it('lists one panel, "Plugin Hub", whose address resolves to the panel at the site root', async () => {
    const panels = await call(`${server.url}/api/agents/${server.agentId}/panels`);
    expect(panels.status).toBe(200);
    const list = (panels.body as { data: { name: string; path: string }[] }).data;
    expect(list.map((p) => p.name)).toEqual(['Plugin Hub']);
    const frameUrl = new URL(list[0]?.path ?? '', server.url);
    expect(frameUrl.pathname).toBe('/plugin-dynamic/panel');
    expect(frameUrl.searchParams.get('agentId')).toBe(server.agentId);
    const page = await fetch(frameUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Plugin Manager</h1>');
  });

  it('answers malformed JSON with the server\'s own 500 before the route runs', async () => {
    const answer = await call(`${server.pluginUrl}/plugins/install`, { method: 'POST', body: '{"source": ', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ success: false, error: { message: expect.any(String), code: 500 } });
  });

  it('answers valid JSON of the wrong shape with its own 400 and { success: false, error: { code, message } }', async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    for (const [path, body] of [
      ['/plugins/install', '[]'],
      ['/plugins/install', '{"source": 42}'],
      ['/plugins/configure', '{"plugin": "x", "settings": {"not a name": "v"}}'],
      ['/jobs', '{"specification": {}, "description": "both at once"}'],
      ['/plugins/uninstall', '{"plugin": "x", "extra": true}'],
    ] as const) {
      const answer = await call(`${server.pluginUrl}${path}`, { method: 'POST', body, headers: auth });
      expect({ path, body, status: answer.status }).toEqual({ path, body, status: 400 });
      expect(answer.body).toEqual({ success: false, error: { code: 'INVALID_INPUT', message: expect.any(String) } });
    }
    const query = await call(`${server.pluginUrl}/registry/search?limit=9999`);
    expect(query.status).toBe(400);
    expect(query.body).toEqual({ success: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('limit') } });
  });

  it('with the server API key on, refuses requests without it under /api (the server) and at the root (plugin-dynamic)', async () => {
    process.env['ELIZA_SERVER_AUTH_TOKEN'] = SERVER_KEY;
    try {
      const underApi = await call(`${server.pluginUrl}/plugins`);
      expect(underApi).toEqual({ status: 401, body: { error: 'API key required', message: expect.any(String) } });
      const atRoot = await call(`${server.url}/plugin-dynamic/plugins?agentId=${server.agentId}`);
      expect(atRoot).toEqual({ status: 401, body: { success: false, error: { code: 'SERVER_API_KEY_REQUIRED', message: expect.any(String) } } });
      const wrongKey = await call(`${server.url}/plugin-dynamic/plugins?agentId=${server.agentId}`, { headers: { 'X-API-KEY': 'not-the-key' } });
      expect(wrongKey.status).toBe(401);
      // The panel's page itself holds no data, so the tab's frame can load it.
      const page = await fetch(`${server.url}/plugin-dynamic/panel?agentId=${server.agentId}`);
      expect(page.status).toBe(200);

      const withKey = { 'X-API-KEY': SERVER_KEY };
      expect((await call(`${server.pluginUrl}/plugins`, { headers: withKey })).status).toBe(200);
      expect((await call(`${server.url}/plugin-dynamic/plugins?agentId=${server.agentId}`, { headers: withKey })).status).toBe(200);
      // The key opens reading; changes still need plugin-dynamic's own token.
      const change = await call(`${server.url}/plugin-dynamic/plugins/uninstall?agentId=${server.agentId}`, { method: 'POST', body: '{"plugin":"x"}', headers: withKey });
      expect(change.status).toBe(401);
      expect(change.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED' } });
    } finally {
      delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    }
  });
});
