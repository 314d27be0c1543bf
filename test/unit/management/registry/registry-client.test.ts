import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryClient, type RegistryClientOptions } from '../../../../src/management/registry/index.js';
import { startFixtureServer, type FixtureServer } from '../../../helpers/fixture-server.js';

const REGISTRY_PATH = '/registry/generated-registry.json';
const HOUR = 3_600_000;
const START = Date.parse('2026-05-01T12:00:00.000Z');

let server: FixtureServer;
let dir: string;
let cacheFile: string;
let clock: number;
let warnings: string[];

beforeEach(async () => {
  server = await startFixtureServer();
  dir = await mkdtemp(join(tmpdir(), 'registry-client-'));
  cacheFile = join(dir, 'cache', 'registry.json');
  clock = START;
  warnings = [];
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function client(overrides: Partial<RegistryClientOptions> = {}): RegistryClient {
  return new RegistryClient({
    url: `${server.url}${REGISTRY_PATH}`,
    cacheFile,
    ttlMs: HOUR,
    timeoutMs: 5_000,
    now: () => clock,
    logger: { info: () => undefined, warn: (...args: unknown[]) => warnings.push(String(args[1])) },
    ...overrides,
  });
}

/** Fetches once so that a cache from START exists, then moves the clock past its TTL. */
async function primeStaleCache(): Promise<void> {
  const primed = await client().load();
  expect(primed.origin).toBe('network');
  clock = START + 2 * HOUR;
}

/** The cache file's folder, created, so that a test can plant a bad cache file; answers the file path. */
async function cacheFolderReady(): Promise<string> {
  await mkdir(join(dir, 'cache'), { recursive: true });
  return cacheFile;
}

function requestsFor(path: string): number {
  return server.requests.filter((p) => p === path).length;
}

describe('RegistryClient fetching and caching', () => {
  it('fetches the registry and writes a versioned cache stamped with the fetch time', async () => {
    const snapshot = await client().load();
    expect(snapshot.origin).toBe('network');
    expect(snapshot.entries).toHaveLength(372);
    expect(snapshot.fetchedAt).toBe('2026-05-01T12:00:00.000Z');
    expect(snapshot.warning).toBeUndefined();
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, unknown>;
    expect(cached).toMatchObject({ version: 1, url: `${server.url}${REGISTRY_PATH}`, fetchedAt: snapshot.fetchedAt });
    expect(cached['entries']).toHaveLength(372);
  });

  it('reads the index.json shape too', async () => {
    const snapshot = await client({ url: `${server.url}/registry/index.json` }).load();
    expect(snapshot.origin).toBe('network');
    expect(snapshot.entries).toHaveLength(372);
  });

  it('answers from the cache within its TTL without touching the network', async () => {
    await client().load();
    await server.close();
    clock = START + HOUR - 1;
    const snapshot = await client().load();
    expect(snapshot).toMatchObject({ origin: 'cache', fetchedAt: '2026-05-01T12:00:00.000Z' });
    expect(snapshot.entries).toHaveLength(372);
    expect(snapshot.warning).toBeUndefined();
  });

  it('fetches again once the TTL has passed', async () => {
    await client().load();
    clock = START + HOUR;
    const snapshot = await client().load();
    expect(snapshot.origin).toBe('network');
    expect(requestsFor(REGISTRY_PATH)).toBe(2);
  });

  it('fetches again on refresh even when the cache is fresh', async () => {
    const registry = client();
    await registry.load();
    expect((await registry.load({ refresh: true })).origin).toBe('network');
    expect(requestsFor(REGISTRY_PATH)).toBe(2);
  });

  it('does not take the cache of another registry address for this one', async () => {
    await client().load();
    const other = client({ url: `${server.url}/registry/index.json` });
    expect((await other.load()).origin).toBe('network');
  });
});

describe('RegistryClient when the registry misbehaves', () => {
  it('falls back to the stale cache with a dated warning when the registry answers 500', async () => {
    await primeStaleCache();
    server.route(REGISTRY_PATH, (_req, res) => res.writeHead(500).end('boom'));
    const snapshot = await client().load();
    expect(snapshot.origin).toBe('stale-cache');
    expect(snapshot.entries).toHaveLength(372);
    expect(snapshot.warning).toContain('Using the cached registry from 2026-05-01 12:00 UTC because');
    expect(snapshot.warning).toContain('HTTP 500');
    expect(warnings).toContain(snapshot.warning);
  });

  it('falls back to the stale cache when the registry answers something that is not JSON', async () => {
    await primeStaleCache();
    server.route(REGISTRY_PATH, (_req, res) => res.writeHead(200).end('<html>gateway says hi</html>'));
    const snapshot = await client().load();
    expect(snapshot.origin).toBe('stale-cache');
    expect(snapshot.warning).toContain('not JSON');
  });

  it('falls back to the stale cache when the registry answers JSON that is not a registry', async () => {
    await primeStaleCache();
    server.route(REGISTRY_PATH, (_req, res) => res.writeHead(200).end('{"message":"rate limited"}'));
    const snapshot = await client().load();
    expect(snapshot.origin).toBe('stale-cache');
    expect(snapshot.warning).toContain('not a plugin registry');
  });

  it('gives up on a registry that never answers after the timeout and uses the stale cache', async () => {
    await primeStaleCache();
    server.route(REGISTRY_PATH, () => undefined);
    const snapshot = await client({ timeoutMs: 300 }).load();
    expect(snapshot.origin).toBe('stale-cache');
    expect(snapshot.warning).toContain('did not answer within 0.3 s');
  });

  it('gives up on a registry that stops in the middle of its answer', async () => {
    await primeStaleCache();
    server.route(REGISTRY_PATH, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"registry": {');
    });
    const snapshot = await client({ timeoutMs: 300 }).load();
    expect(snapshot.origin).toBe('stale-cache');
    expect(snapshot.warning).toContain('did not answer within 0.3 s');
  });

  it('refuses an answer larger than the size bound', async () => {
    await primeStaleCache();
    const snapshot = await client({ maxBytes: 10_000 }).load();
    expect(snapshot.origin).toBe('stale-cache');
    expect(snapshot.warning).toContain('more than the 10000');
  });

  it('answers with no entries and a warning a person understands when there is no network and no cache', async () => {
    const registry = client();
    await server.close();
    const snapshot = await registry.load();
    expect(snapshot.origin).toBe('none');
    expect(snapshot.entries).toEqual([]);
    expect(snapshot.warning).toContain('could not be reached');
    expect(snapshot.warning).toContain('no cached copy');
    expect(snapshot.warning).toContain('PLUGIN_DYNAMIC_REGISTRY_URL');

    const search = await registry.search('openai');
    expect(search).toMatchObject({ hits: [], origin: 'none', warning: snapshot.warning });
    await expect(registry.resolve('openai')).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE' });
  });

  it('does not retry a failed registry on every call, and retries once the pause is over', async () => {
    server.route(REGISTRY_PATH, (_req, res) => res.writeHead(503).end());
    const registry = client({ retryAfterFailureMs: 60_000 });
    const first = await registry.load();
    const second = await registry.load();
    expect(second).toEqual(first);
    expect(requestsFor(REGISTRY_PATH)).toBe(1);
    clock += 60_000;
    await registry.load();
    expect(requestsFor(REGISTRY_PATH)).toBe(2);
  });
});

describe('RegistryClient cache file problems', () => {
  it('moves a corrupt cache aside, says so, and fetches a new copy', async () => {
    await writeFile(await cacheFolderReady(), '{"version": 1, "entr', 'utf8');
    const snapshot = await client().load();
    expect(snapshot.origin).toBe('network');
    const aside = `${cacheFile}.corrupt-${START}`;
    expect(await readFile(aside, 'utf8')).toBe('{"version": 1, "entr');
    expect(warnings.some((w) => w.includes('moved aside') && w.includes(aside))).toBe(true);
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toMatchObject({ version: 1 });
  });

  it('moves aside a cache document of an unknown version instead of trusting it', async () => {
    await writeFile(await cacheFolderReady(), JSON.stringify({ version: 99, url: 'x', fetchedAt: 'y', entries: [] }));
    await server.close();
    const snapshot = await client().load();
    expect(snapshot.origin).toBe('none');
    expect(snapshot.warning).toContain(`moved aside to ${cacheFile}.corrupt-${START}`);
    expect(await readdir(join(dir, 'cache'))).toEqual([`registry.json.corrupt-${START}`]);
  });
});

describe('RegistryClient cancellation', () => {
  it('rejects with the caller\'s reason instead of falling back when the caller aborts', async () => {
    await primeStaleCache();
    const controller = new AbortController();
    const reason = new Error('the user changed their mind');
    server.route(REGISTRY_PATH, () => controller.abort(reason));
    await expect(client().load({ signal: controller.signal })).rejects.toBe(reason);
  });

  it('rejects at once, without a request, when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(client().search('openai', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(requestsFor(REGISTRY_PATH)).toBe(0);
  });
});

describe('RegistryClient search and resolve', () => {
  it('searches the fetched registry and says where the entries came from', async () => {
    const result = await client().search('openai', { limit: 3 });
    expect(result.origin).toBe('network');
    expect(result.hits[0]?.entry.name).toBe('@elizaos/plugin-openai');
    expect(result.hits.length).toBeLessThanOrEqual(3);
  });

  it('resolves a word from the stale cache when the registry is down', async () => {
    await primeStaleCache();
    await server.close();
    expect((await client().resolve('openai')).name).toBe('@elizaos/plugin-openai');
  });

  it('passes resolution failures through with their code', async () => {
    await expect(client().resolve('qwxzzyv')).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
  });
});
