import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePluginUrl } from '../../../src/cli/agent-url.js';

/** A stand-in for the ElizaOS 1.x server's GET /api/agents, answering what `agents` holds. */
describe('resolving --agent-url to the plugin address', () => {
  let server: Server;
  let base: string;
  let agents: unknown = [];
  const seen: { path: string; key: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', key: req.headers['x-api-key'] as string | undefined });
      if (req.url === '/api/agents') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ success: true, data: { agents } }));
      } else {
        res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>not found</h1>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps a plugin address as it is and completes an agent address, without asking the server', async () => {
    const before = seen.length;
    expect(await resolvePluginUrl(`${base}/api/agents/abc/plugins/plugin-dynamic/`)).toBe(`${base}/api/agents/abc/plugins/plugin-dynamic`);
    expect(await resolvePluginUrl(`${base}/api/agents/abc`)).toBe(`${base}/api/agents/abc/plugins/plugin-dynamic`);
    expect(seen.length).toBe(before);
  });

  it('picks the only active agent of a server, sending the server key', async () => {
    agents = [
      { id: 'id-1', name: 'Builder', status: 'active' },
      { id: 'id-2', name: 'Sleeper', status: 'inactive' },
    ];
    expect(await resolvePluginUrl(base, { headers: { 'X-API-KEY': 'server-key' } })).toBe(`${base}/api/agents/id-1/plugins/plugin-dynamic`);
    expect(seen.at(-1)).toEqual({ path: '/api/agents', key: 'server-key' });
  });

  it('picks an agent by name or id when several run, and asks for --agent otherwise', async () => {
    agents = [
      { id: 'id-1', name: 'Builder', status: 'active' },
      { id: 'id-2', name: 'Helper', status: 'active' },
    ];
    expect(await resolvePluginUrl(base, { agent: 'helper' })).toBe(`${base}/api/agents/id-2/plugins/plugin-dynamic`);
    expect(await resolvePluginUrl(base, { agent: 'id-1' })).toBe(`${base}/api/agents/id-1/plugins/plugin-dynamic`);
    await expect(resolvePluginUrl(base)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: `Several agents run at ${base} (Builder, Helper): choose one with --agent <name>.`,
    });
    await expect(resolvePluginUrl(base, { agent: 'nobody' })).rejects.toMatchObject({ code: 'AGENT_UNREACHABLE' });
  });

  it('refuses what is not an http URL, and a server that is not ElizaOS', async () => {
    await expect(resolvePluginUrl('localhost:3000')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(resolvePluginUrl('file:///etc/passwd')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(resolvePluginUrl(`${base}/elsewhere`)).rejects.toMatchObject({
      code: 'AGENT_UNREACHABLE',
      message: expect.stringContaining(`${base}/elsewhere/api/agents`) as unknown,
    });
  });
});
