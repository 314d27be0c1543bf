import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEgressProxy, type EgressProxy } from '../../../src/shared/sandbox/egress-proxy.js';
import { ALLOWED_HOST, UNDECLARED_HOST, probeFromSandbox, recordingLogger, startFixtureInternet, type FixtureInternet } from './egress-fixtures.js';

/*
 * A real Node process in the real bubblewrap sandbox (its own network namespace), reaching fixture
 * servers on the agent's 127.0.0.1 only through the egress proxy's socket and the bridge.
 */
describe('a sandboxed plugin reaches the network only through the egress proxy', () => {
  let internet: FixtureInternet;
  let socketDir: string;
  const proxies: EgressProxy[] = [];

  beforeAll(async () => {
    internet = await startFixtureInternet();
    socketDir = await mkdtemp(join(tmpdir(), 'pd-egress-sock-'));
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await internet.close();
    await rm(socketDir, { recursive: true, force: true });
  });

  const start = async (allowedHosts: string[], testResolver: boolean, logger = recordingLogger()) => {
    const proxy = await startEgressProxy({
      allowedHosts,
      pluginName: 'plugin-weather',
      logger,
      dir: socketDir,
      ...(testResolver ? { resolveHost: internet.resolveHost, allowPrivateAddresses: true } : {}),
    });
    proxies.push(proxy);
    return { proxy, logger };
  };

  it('reaches a declared host with fetch, https.get, http.get and axios; an undeclared host, another port and 127.0.0.1 are refused', async () => {
    const { proxy, logger } = await start([ALLOWED_HOST], true);
    const seen = await probeFromSandbox(internet, proxy.socketPath, [
      { name: 'fetch https', kind: 'fetch', url: `https://${ALLOWED_HOST}/weather?city=Oslo` },
      { name: 'https.get', kind: 'https.get', url: `https://${ALLOWED_HOST}/forecast` },
      { name: 'fetch http', kind: 'fetch', url: `http://${ALLOWED_HOST}/plain` },
      { name: 'http.get', kind: 'http.get', url: `http://${ALLOWED_HOST}/forwarded` },
      { name: 'axios https', kind: 'axios', url: `https://${ALLOWED_HOST}/axios-tls` },
      { name: 'axios http', kind: 'axios', url: `http://${ALLOWED_HOST}/axios-plain` },
      { name: 'axios undeclared', kind: 'axios', url: `https://${UNDECLARED_HOST}/steal` },
      { name: 'fetch undeclared', kind: 'fetch', url: `https://${UNDECLARED_HOST}/steal` },
      { name: 'fetch undeclared again', kind: 'fetch', url: `https://${UNDECLARED_HOST}/steal-again` },
      { name: 'https.get undeclared', kind: 'https.get', url: `https://${UNDECLARED_HOST}/steal` },
      { name: 'http.get undeclared', kind: 'http.get', url: `http://${UNDECLARED_HOST}/steal` },
      { name: 'fetch other port', kind: 'fetch', url: `https://${ALLOWED_HOST}:8443/` },
      { name: 'direct 127.0.0.1', kind: 'connect', host: '127.0.0.1', port: internet.httpPort },
      { name: 'fetch 127.0.0.1', kind: 'fetch', url: `http://127.0.0.1:${internet.httpPort}/` },
    ]);

    expect(seen['fetch https']).toBe(`status 200 https hello from ${ALLOWED_HOST}/weather?city=Oslo`);
    expect(seen['https.get']).toBe(`status 200 https hello from ${ALLOWED_HOST}/forecast`);
    expect(seen['fetch http']).toBe(`status 200 http hello from ${ALLOWED_HOST}/plain`);
    expect(seen['http.get']).toBe(`status 200 http hello from ${ALLOWED_HOST}/forwarded`);
    expect(seen['axios https']).toBe(`status 200 https hello from ${ALLOWED_HOST}/axios-tls`);
    expect(seen['axios http']).toBe(`status 200 http hello from ${ALLOWED_HOST}/axios-plain`);
    expect(seen['axios undeclared']).not.toMatch(/^status 200/);
    // fetch fails outright; the http(s) agents hand the proxy's refusal back as the answer.
    expect(seen['fetch undeclared']).toMatch(/^error .*Proxy response \(403\)/);
    expect(seen['fetch undeclared again']).toMatch(/^error .*Proxy response \(403\)/);
    expect(seen['https.get undeclared']).toMatch(/^status 403 .*not among the hosts the plugin declared/);
    expect(seen['http.get undeclared']).toMatch(/^status 403 .*not among the hosts the plugin declared/);
    expect(seen['fetch other port']).toMatch(/^error .*Proxy response \(403\)/);
    expect(seen['direct 127.0.0.1']).toMatch(/^error (ECONNREFUSED|ENETUNREACH)/);
    expect(seen['fetch 127.0.0.1']).toMatch(/^error .*Proxy response \(403\)/);

    // Nothing undeclared reached a server.
    expect(internet.requests.filter((r) => !r.includes(ALLOWED_HOST))).toEqual([]);
    expect(internet.requests.some((r) => r.includes('/steal'))).toBe(false);

    const refusals = logger.warnings.map((w) => w.fields);
    // Logged once per host and reason, however many times it was tried, with the plugin and the host.
    expect(refusals.filter((f) => f['host'] === UNDECLARED_HOST)).toEqual([
      expect.objectContaining({ plugin: 'plugin-weather', host: UNDECLARED_HOST, reason: 'undeclared-host' }),
    ]);
    expect(refusals).toContainEqual(expect.objectContaining({ plugin: 'plugin-weather', host: ALLOWED_HOST, port: 8443, reason: 'port-not-allowed' }));
    expect(refusals).toContainEqual(expect.objectContaining({ plugin: 'plugin-weather', host: '127.0.0.1', reason: 'undeclared-host' }));
    expect(logger.warnings.find((w) => w.fields['host'] === UNDECLARED_HOST)?.message).toContain(`plugin plugin-weather tried to reach ${UNDECLARED_HOST}:443`);
  });

  it('refuses a declared host name that resolves to a loopback address (DNS rebinding)', async () => {
    // Real resolution: "localhost" is declared, and the system resolver answers 127.0.0.1.
    const real = await start(['localhost'], false);
    const seenReal = await probeFromSandbox(internet, real.proxy.socketPath, [
      { name: 'fetch', kind: 'fetch', url: 'http://localhost/' },
      { name: 'http.get', kind: 'http.get', url: 'http://localhost/' },
    ]);
    expect(seenReal['fetch']).toMatch(/^error .*Proxy response \(403\)/);
    expect(seenReal['http.get']).toMatch(/^status 403 .*loopback, private, link-local or metadata address/);
    expect(real.logger.warnings.map((w) => w.fields)).toEqual([expect.objectContaining({ plugin: 'plugin-weather', host: 'localhost', reason: 'private-address' })]);

    // A declared name whose answer turns out to be 127.0.0.1, without the test-only allowance.
    const logger = recordingLogger();
    const rebound = await startEgressProxy({ allowedHosts: [ALLOWED_HOST], pluginName: 'plugin-weather', logger, dir: socketDir, resolveHost: internet.resolveHost });
    proxies.push(rebound);
    const before = internet.requests.length;
    const seen = await probeFromSandbox(internet, rebound.socketPath, [{ name: 'https.get', kind: 'https.get', url: `https://${ALLOWED_HOST}/` }]);
    expect(seen['https.get']).toMatch(/^status 403 /);
    expect(internet.requests.length).toBe(before);
    expect(logger.warnings.map((w) => w.fields)).toEqual([expect.objectContaining({ host: ALLOWED_HOST, reason: 'private-address' })]);
  });

  it('with no declared host there is no network at all', async () => {
    const { proxy, logger } = await start([], true);
    const before = internet.requests.length;
    const seen = await probeFromSandbox(internet, proxy.socketPath, [
      { name: 'fetch', kind: 'fetch', url: `https://${ALLOWED_HOST}/` },
      { name: 'https.get', kind: 'https.get', url: `https://${ALLOWED_HOST}/` },
    ]);
    expect(seen['fetch']).toMatch(/^error .*Proxy response \(403\)/);
    expect(seen['https.get']).toMatch(/^status 403 /);
    expect(logger.warnings.map((w) => w.fields)).toEqual([expect.objectContaining({ host: ALLOWED_HOST, reason: 'undeclared-host' })]);

    // Without a proxy socket bound in (how a plugin with no declared host runs), nothing gets out.
    const bare = await probeFromSandbox(internet, undefined, [
      { name: 'fetch', kind: 'fetch', url: `http://127.0.0.1:${internet.httpPort}/` },
      { name: 'connect', kind: 'connect', host: '127.0.0.1', port: internet.httpsPort },
    ]);
    expect(bare['fetch']).toMatch(/^error (ECONNREFUSED|ENETUNREACH)/);
    expect(bare['connect']).toMatch(/^error (ECONNREFUSED|ENETUNREACH)/);
    expect(internet.requests.length).toBe(before);
  });
});
