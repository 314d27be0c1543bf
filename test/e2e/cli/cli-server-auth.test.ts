import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';
import { envelope, runCli } from './cli-process.js';

const SERVER_KEY = 'the-servers-own-api-key';
const TOKEN = 'cli-server-auth-token-0123456789';

/*
 * The real @elizaos/server 1.7.2 with ELIZA_SERVER_AUTH_TOKEN set: it answers 401 with its own JSON
 * body to any /api request without the right X-API-KEY; behind it, plugin-dynamic's routes, whose
 * changes need the agent's PLUGIN_DYNAMIC_API_TOKEN.
 */
describe('plugin-dynamic --agent-url against the real server with its API key on', () => {
  let server: RealAgentServer;
  let url: string;
  let AGENT_ID: string;
  const previousKey = process.env['ELIZA_SERVER_AUTH_TOKEN'];
  const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent' };

  beforeAll(async () => {
    server = await startRealAgentServer({ settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN, PLUGIN_DYNAMIC_GENERATOR: 'template' } });
    // The server reads the key from the environment on every request.
    process.env['ELIZA_SERVER_AUTH_TOKEN'] = SERVER_KEY;
    url = server.url;
    AGENT_ID = server.agentId;
  });
  afterAll(async () => {
    if (previousKey === undefined) delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    else process.env['ELIZA_SERVER_AUTH_TOKEN'] = previousKey;
    await server?.close();
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
