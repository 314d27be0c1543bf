import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEgressProxy, sweepEgressFolders, type EgressProxy } from '../../../src/shared/sandbox/egress-proxy.js';
import { ALLOWED_HOST, recordingLogger, startFixtureInternet, type FixtureInternet } from './egress-fixtures.js';

/** Sends raw bytes to the proxy's socket and returns everything it answers until it closes the connection. */
function exchange(socketPath: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
}

/** Opens a tunnel and returns the socket once the proxy has said 200. */
function openTunnel(socketPath: string, authority: string): Promise<ReturnType<typeof connect>> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    socket.setEncoding('utf8');
    socket.once('data', (chunk: string) => (chunk.startsWith('HTTP/1.1 200') ? resolve(socket) : reject(new Error(chunk))));
    socket.on('error', reject);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  });
}

describe('the egress proxy', () => {
  let internet: FixtureInternet;
  let socketDir: string;
  const proxies: EgressProxy[] = [];
  const start = async (overrides: Partial<Parameters<typeof startEgressProxy>[0]> = {}) => {
    const logger = recordingLogger();
    const proxy = await startEgressProxy({
      allowedHosts: [ALLOWED_HOST],
      pluginName: 'plugin-notes',
      logger,
      dir: socketDir,
      resolveHost: internet.resolveHost,
      allowPrivateAddresses: true,
      ...overrides,
    });
    proxies.push(proxy);
    return { proxy, logger };
  };

  beforeAll(async () => {
    internet = await startFixtureInternet();
    socketDir = await mkdtemp(join(tmpdir(), 'pd-egress-sock-'));
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    await internet.close();
    await rm(socketDir, { recursive: true, force: true });
  });

  it('forwards plain HTTP to a declared host with its Host header and without the hop-by-hop ones', async () => {
    const { proxy } = await start();
    const answer = await exchange(
      proxy.socketPath,
      `GET http://${ALLOWED_HOST}/notes?id=1 HTTP/1.1\r\nHost: ${ALLOWED_HOST}\r\nProxy-Authorization: Basic c2VjcmV0\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain(`http hello from ${ALLOWED_HOST}/notes?id=1`);
    const index = internet.requests.indexOf(`http ${ALLOWED_HOST} /notes?id=1`);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(internet.headerNames[index]).toContain('host');
    expect(internet.headerNames[index]).not.toContain('proxy-authorization');
  });

  it('refuses requests that name no host and port, and logs them', async () => {
    const { proxy, logger } = await start();
    expect(await exchange(proxy.socketPath, `CONNECT ${ALLOWED_HOST} HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await exchange(proxy.socketPath, 'GET /notes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await exchange(proxy.socketPath, `GET https://${ALLOWED_HOST}/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(logger.warnings.map((w) => w.fields['reason'])).toEqual(['malformed-target', 'malformed-target', 'malformed-target']);
  });

  it('refuses a declared name that resolves to a private address, and connects nowhere', async () => {
    // Only loopback answers here, so that a wrong proxy would still send nothing off this machine.
    const { proxy, logger } = await start({
      allowPrivateAddresses: false,
      resolveHost: () => Promise.resolve([{ address: '127.0.0.1', port: internet.httpPort }]),
    });
    const before = internet.requests.length;
    expect(await exchange(proxy.socketPath, `CONNECT ${ALLOWED_HOST}:80 HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403 /);
    expect(await exchange(proxy.socketPath, `GET http://${ALLOWED_HOST}/ HTTP/1.1\r\nHost: ${ALLOWED_HOST}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403 /);
    expect(internet.requests.length).toBe(before);
    expect(logger.warnings.map((w) => w.fields)).toEqual([expect.objectContaining({ plugin: 'plugin-notes', host: ALLOWED_HOST, reason: 'private-address' })]);
  });

  it('answers 502 when a declared name does not resolve, without calling it a refusal', async () => {
    const { proxy, logger } = await start({ resolveHost: () => Promise.reject(new Error('ENOTFOUND')) });
    expect(await exchange(proxy.socketPath, `CONNECT ${ALLOWED_HOST}:443 HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1\.1 502 /);
    expect(logger.warnings).toEqual([]);
  });

  it('a destination it cannot even try ends that one connection, and the proxy goes on serving', async () => {
    // Port 70000 makes net.connect throw at once: that must not become an unhandled rejection in the agent.
    let calls = 0;
    const { proxy } = await start({
      resolveHost: (host, port) => (calls++ === 0 ? Promise.resolve([{ address: '127.0.0.1', port: 70_000 }]) : internet.resolveHost(host, port)),
    });
    expect(await exchange(proxy.socketPath, `CONNECT ${ALLOWED_HOST}:443 HTTP/1.1\r\n\r\n`)).toBe('');
    expect(await exchange(proxy.socketPath, `GET http://${ALLOWED_HOST}/after HTTP/1.1\r\nHost: ${ALLOWED_HOST}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('logs a bounded number of distinct refusals, then says the rest are not logged', async () => {
    const { proxy, logger } = await start();
    for (let i = 0; i < 205; i++) await exchange(proxy.socketPath, `CONNECT host-${i}.undeclared.test:443 HTTP/1.1\r\n\r\n`);
    expect(logger.warnings).toHaveLength(201);
    expect(logger.warnings.at(-1)?.message).toMatch(/further refusals are not logged/);
  });

  it('close ends open tunnels and removes its socket folder; closing twice is harmless', async () => {
    const { proxy } = await start();
    const tunnel = await openTunnel(proxy.socketPath, `${ALLOWED_HOST}:80`);
    const ended = new Promise<void>((resolve) => tunnel.on('close', () => resolve()));
    await proxy.close();
    await ended;
    await proxy.close();
    expect(existsSync(dirname(proxy.socketPath))).toBe(false);
  });

  it('an abort signal closes it', async () => {
    const controller = new AbortController();
    const { proxy } = await start({ signal: controller.signal });
    expect(existsSync(proxy.socketPath)).toBe(true);
    controller.abort();
    await vi.waitFor(() => expect(existsSync(dirname(proxy.socketPath))).toBe(false), { timeout: 30_000 });
  });

  it('makes its folder when it is missing; a sweep at start removes the socket folders a dead process left', async () => {
    const runDir = join(socketDir, 'run', 'egress');
    const { proxy } = await start({ dir: runDir });
    await proxy.close();
    await mkdir(join(runDir, 'egress-left-by-a-crash'));
    await writeFile(join(runDir, 'egress-left-by-a-crash', 'proxy.sock'), '');
    await writeFile(join(runDir, 'unrelated.txt'), 'kept');
    expect(await sweepEgressFolders(runDir)).toBe(1);
    expect(await readdir(runDir)).toEqual(['unrelated.txt']);
    expect(await sweepEgressFolders(join(socketDir, 'missing'))).toBe(0);
  });

  it('refuses a folder whose socket path would be too long for a unix socket, leaving nothing behind', async () => {
    const deep = join(socketDir, 'd'.repeat(100));
    await mkdir(deep);
    await expect(start({ dir: deep })).rejects.toMatchObject({ code: 'INVALID_SETTING' });
    expect(await readdir(deep)).toEqual([]);
  });
});
