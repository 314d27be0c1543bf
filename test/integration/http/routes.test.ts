import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { startRouteHost } from '../../helpers/route-host.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const here = dirname(fileURLToPath(import.meta.url));
const SECRET_FIXTURE = join(here, '..', 'management', 'fixtures', 'plugin-secret-echo');
const TOKEN = 'route-test-token-0123456789';
const SECRET = 'route-secret-value-9f8e7d';

describe('the HTTP routes, served the way the ElizaOS server serves plugin routes', () => {
  let t: TestRuntime;
  let server: Awaited<ReturnType<typeof startRouteHost>>;
  let registry: Awaited<ReturnType<typeof startFixtureServer>>;
  const bodies: string[] = [];
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
    const res = await fetch(`${server.pluginUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    bodies.push(text);
    return { status: res.status, json: JSON.parse(text) as { success: boolean; data?: any; error?: { code: string; message: string } } };
  }

  beforeAll(async () => {
    registry = await startFixtureServer();
    t = await createTestRuntime({
      plugins: [pluginDynamic],
      settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN, PLUGIN_DYNAMIC_REGISTRY_URL: `${registry.url}/registry/generated-registry.json` },
    });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
    server = await startRouteHost(t.runtime);
  });
  afterAll(async () => {
    await server?.close();
    await registry?.close();
    await t?.cleanup();
  });

  it('answers registry searches without a token', async () => {
    const { status, json } = await call('GET', '/registry/search?q=openai&limit=3', undefined, null);
    expect(status).toBe(200);
    expect(json.data.hits[0].entry.name).toBe('@elizaos/plugin-openai');
  });

  it('refuses a mutating call without the token, and with a wrong one', async () => {
    const none = await call('POST', '/plugins/install', { source: SECRET_FIXTURE }, null);
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ success: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    const wrong = await call('POST', '/plugins/install', { source: SECRET_FIXTURE }, 'not-the-token-at-all');
    expect(wrong.status).toBe(401);
  });

  it('refuses a body that does not fit, naming the field', async () => {
    const { status, json } = await call('POST', '/plugins/install', { source: 42 });
    expect(status).toBe(400);
    expect(json.error?.code).toBe('INVALID_INPUT');
    expect(json.error?.message).toContain('source');
  });

  it('answers 404 with the code for a plugin that is not installed', async () => {
    const { status, json } = await call('POST', '/plugins/activate', { plugin: 'plugin-nowhere' });
    expect(status).toBe(404);
    expect(json.error?.code).toBe('NOT_INSTALLED');
  });

  it('installs, configures and activates a plugin over HTTP', async () => {
    const installed = await call('POST', '/plugins/install', { source: SECRET_FIXTURE, activate: true });
    expect(installed.status).toBe(200);
    expect(installed.json.data.status).toBe('needs_configuration');
    const refused = await call('POST', '/plugins/activate', { plugin: 'plugin-secret-echo' });
    expect(refused.status).toBe(409);
    expect(refused.json.error?.code).toBe('NEEDS_CONFIGURATION');
    const configured = await call('POST', '/plugins/configure', { plugin: 'plugin-secret-echo', settings: { SECRET_ECHO_TOKEN: SECRET } });
    expect(configured.json.data.missingSettings).toEqual([]);
    // An isolated plugin asks first: 403 APPROVAL_REQUIRED with the request; approving needs the token and names the digest shown.
    const asked = await call('POST', '/plugins/activate', { plugin: 'plugin-secret-echo' });
    expect(asked.status).toBe(403);
    const request = (asked.json.error as unknown as { code: string; request: { packageName: string; digest: string; lines: string[] } }).request;
    expect(asked.json.error?.code).toBe('APPROVAL_REQUIRED');
    expect(request).toMatchObject({ packageName: 'plugin-secret-echo', digest: expect.stringMatching(/^sha512-/), lines: expect.arrayContaining(['no network']) });
    expect((await call('GET', '/plugins/approvals', undefined, null)).json.data).toEqual([expect.objectContaining({ packageName: 'plugin-secret-echo' })]);
    expect((await call('POST', '/plugins/approve', { plugin: 'plugin-secret-echo', digest: request.digest }, null)).status).toBe(401);
    const stale = await call('POST', '/plugins/approve', { plugin: 'plugin-secret-echo', digest: 'sha512-notwhatwasshown', activate: true });
    expect(stale.status).toBe(403);
    expect(stale.json.error?.message).toContain('it changed since the request you answered was shown');
    const approved = await call('POST', '/plugins/approve', { plugin: 'plugin-secret-echo', digest: request.digest, activate: true });
    expect(approved.json.data).toMatchObject({ approval: { channel: 'api', digest: request.digest }, plugin: { status: 'active' } });
    expect((await call('GET', '/plugins/approval?plugin=plugin-secret-echo', undefined, null)).json.data).toMatchObject({ request: null, approval: { channel: 'api' } });
  });

  it('shows where each plugin runs and lets a person choose it', async () => {
    const listed = await call('GET', '/plugins', undefined, null);
    expect(listed.json.data[0]).toMatchObject({ trust: 'user-source', isolation: 'isolated', isolationDecidedBy: 'default' });
    // Into the agent's process only with the name typed and the code printed on the agent's terminal.
    const printed: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
    const asked = await call('POST', '/plugins/isolation', { plugin: 'plugin-secret-echo', mode: 'in-process' });
    expect(asked.status).toBe(403);
    expect(asked.json.error?.code).toBe('CONFIRMATION_REQUIRED');
    const wrong = await call('POST', '/plugins/isolation', { plugin: 'plugin-secret-echo', mode: 'in-process', confirm: { name: 'plugin-secret-echo', code: 'AAAA-AAAA' } });
    expect(wrong.json.error?.code).toBe('CONFIRMATION_REQUIRED');
    stderr.mockRestore();
    // One code for the first request; the wrong guess spent it and a second one was printed.
    const codes = [...printed.join('').matchAll(/the code ([A-Z0-9]{4}-[A-Z0-9]{4})/g)].map((m) => m[1]);
    expect(codes).toHaveLength(2);
    const code = codes[1];
    expect(management().get('plugin-secret-echo').isolation).toBe('isolated');
    const moved = await call('POST', '/plugins/isolation', { plugin: 'plugin-secret-echo', mode: 'in-process', confirm: { name: 'plugin-secret-echo', code } });
    expect(moved.json.data).toMatchObject({ status: 'active', isolation: 'in-process', isolationDecidedBy: 'override' });
    const back = await call('POST', '/plugins/isolation', { plugin: 'plugin-secret-echo', mode: 'default' });
    expect(back.json.data).toMatchObject({ status: 'active', isolation: 'isolated', isolationDecidedBy: 'default' });
    const refused = await call('POST', '/plugins/isolation', { plugin: 'plugin-secret-echo', mode: 'elsewhere' });
    expect(refused.status).toBe(400);
  });

  it('starts a creation job and reports it', async () => {
    const created = await call('POST', '/jobs', { specification: { name: 'plugin-http-made', description: 'made over http', actions: [{ name: 'sayHi', description: 'says hi' }] }, generator: 'template' });
    expect(created.status).toBe(200);
    const id = created.json.data.job.id as string;
    const status = await call('GET', `/jobs/status?id=${id}`, undefined, null);
    expect(status.json.data.pluginName).toBe('plugin-http-made');
    const missing = await call('GET', '/jobs/status?id=ffffffff', undefined, null);
    expect(missing.status).toBe(404);
    await t.runtime.getService<any>(PLUGIN_CREATION_SERVICE).waitForJob(id);
  });

  it('lists one public named GET route, the panel, under a name no other tab has', async () => {
    const named = t.runtime.routes.filter((r) => r.name);
    expect(named).toEqual([expect.objectContaining({ type: 'GET', public: true, name: 'Plugin Hub' })]);
    // The address the web client builds for the tab resolves to the panel at the site root.
    const tab = new URL(`/api/agents/${t.runtime.agentId}/plugins${named[0]?.path ?? ''}`, 'http://127.0.0.1');
    expect(tab.pathname).toBe('/plugin-dynamic/panel');
    const res = await fetch(`${server.pluginUrl}/panel`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<h1>Plugin Manager</h1>');
  });

  it('never puts a secret value in any response', async () => {
    await call('GET', '/plugins', undefined, null);
    await call('GET', '/jobs', undefined, null);
    await call('GET', '/capabilities', undefined, null);
    expect(bodies.join('\n')).not.toContain(SECRET);
  });
});
