import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IAgentRuntime, RouteRequest, RouteResponse } from '@elizaos/core';

/**
 * A small stand-in for quick integration tests of the routes alone: it serves a runtime's plugin
 * routes at /api/agents/<agentId>/plugins/<route path>, matched on every request, JSON bodies
 * parsed, query as an object. It is not the ElizaOS server (no API key, no web client, its own 400
 * for malformed JSON where the real one answers 500): the end-to-end tests use the real
 * `@elizaos/server` (agent-server.ts).
 */
export async function startRouteHost(runtime: IAgentRuntime): Promise<{ url: string; pluginUrl: string; close: () => Promise<void> }> {
  const prefix = `/api/agents/${runtime.agentId}/plugins`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : undefined;
    const route = path === undefined ? undefined : runtime.routes.find((r) => r.path === path && r.type === req.method);
    if (!route?.handler) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ success: false, error: { code: 'NOT_FOUND', message: `${req.method} ${url.pathname}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ success: false, error: { code: 'INVALID_INPUT', message: 'body is not JSON' } }));
      return;
    }
    const request: RouteRequest = {
      body,
      query: Object.fromEntries(url.searchParams),
      params: {},
      headers: req.headers,
      method: req.method ?? 'GET',
      path: url.pathname,
      url: req.url ?? '/',
    };
    let status = 200;
    const response: RouteResponse = {
      status(code) {
        status = code;
        return response;
      },
      json(data) {
        if (!res.headersSent) res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(data));
        return response;
      },
      send(data) {
        res.statusCode = status;
        res.end(typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data));
        return response;
      },
      end() {
        res.statusCode = status;
        res.end();
        return response;
      },
      setHeader(name, value) {
        res.setHeader(name, value);
        return response;
      },
    };
    await route.handler(request, response, runtime);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    pluginUrl: `${url}${prefix}/plugin-dynamic`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
