import type { RouteResponse } from '@elizaos/core';
import { describe, expect, it } from 'vitest';
import { isolatedContentType, isolatedRoute, ISOLATED_ROUTE_HEADERS } from '../../../../src/management/host/isolated-route.js';

const HTML = '<!doctype html><script>parent.postMessage(sessionStorage.getItem("plugin-dynamic-token"), "*")</script>';

/** Serves one answer of a fake host through the stub; records what the client would get. */
async function serve(answer: { status: number; headers: Record<string, string>; body: unknown }) {
  const calls: string[] = [];
  const warnings: string[] = [];
  const got = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown, via: '' };
  const res: RouteResponse = {
    status: (code) => ((got.status = code), res),
    json: (data) => ((got.body = data), (got.via = 'json'), res),
    send: (data) => ((got.body = data), (got.via = 'send'), res),
    end: () => ((got.via = 'end'), res),
    setHeader: (name, value) => ((got.headers[name.toLowerCase()] = String(value)), res),
  };
  const route = isolatedRoute(
    {
      host: { call: async (method: string) => (calls.push(method), { ...answer, sent: true }) } as never,
      logger: { warn: (_o: unknown, m: string) => void warnings.push(m) } as never,
      plugin: 'plugin-pages',
    },
    { index: 0, type: 'GET', path: '/page', public: true, name: 'Evil Panel' } as never,
  );
  await route.handler!({ method: 'GET', path: '/page', headers: {} }, res, {} as never);
  return { route, got, calls, warnings };
}

describe("an isolated plugin's route on the agent's origin", () => {
  it('is never a panel: the stub keeps neither its name nor public', async () => {
    const { route } = await serve({ status: 200, headers: {}, body: 'hi' });
    expect(route).not.toHaveProperty('name');
    expect(route).not.toHaveProperty('public');
  });

  it('refuses HTML: the host was asked, the page is not served, and the refusal is inert JSON', async () => {
    const { got, calls, warnings } = await serve({ status: 200, headers: { 'Content-Type': 'text/html' }, body: HTML });
    expect(calls).toEqual(['route']);
    expect(got.status).toBe(502);
    expect(JSON.stringify(got.body)).not.toContain('<script>');
    expect(got.body).toMatchObject({ success: false, error: { code: 'ROUTE_CONTENT_REFUSED' } });
    expect(got.headers['content-security-policy']).toBe('sandbox');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(warnings[0]).toContain('text/html');
  });

  it('serves a string with no type as plain text, sandboxed, never as the HTML Express would guess', async () => {
    const { got } = await serve({ status: 200, headers: {}, body: HTML });
    expect(got.headers['content-type']).toBe('text/plain; charset=utf-8');
    for (const [name, value] of Object.entries(ISOLATED_ROUTE_HEADERS)) expect(got.headers[name.toLowerCase()]).toBe(value);
    expect(got.body).toBe(HTML);
  });

  it('serves JSON as JSON, and keeps only the caching headers of the answer', async () => {
    const { got } = await serve({ status: 201, headers: { 'content-type': 'application/json', etag: '"1"', 'set-cookie': 'a=b', 'content-security-policy': "default-src *" }, body: { ok: true } });
    expect(got).toMatchObject({ status: 201, body: { ok: true }, via: 'json' });
    expect(got.headers).toMatchObject({ etag: '"1"', 'content-type': 'application/json; charset=utf-8', 'content-security-policy': 'sandbox' });
    expect(got.headers).not.toHaveProperty('set-cookie');
  });

  it('reads the declared type case-insensitively and refuses every active type', () => {
    expect(isolatedContentType({ headers: { 'CONTENT-TYPE': 'Text/Plain; charset=latin1' }, body: 'x' })).toBe('text/plain; charset=utf-8');
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'text/css']) {
      expect(isolatedContentType({ headers: { 'Content-Type': type }, body: '<svg onload=alert(1)>' })).toBeUndefined();
    }
    expect(isolatedContentType({ headers: { 'Content-Type': 'text/html' }, body: { a: 1 } })).toBeUndefined();
  });
});
