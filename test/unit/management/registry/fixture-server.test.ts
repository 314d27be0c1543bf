import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../helpers/fixture-server.js';

let server: FixtureServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the fixture server used by registry tests', () => {
  it('serves the shared fixture files with a JSON content type', async () => {
    server = await startFixtureServer();
    const response = await fetch(`${server.url}/registry/index.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(Object.keys((await response.json()) as object)).toHaveLength(372);
  });

  it('answers 404 for a missing file and for a path that climbs out of its root', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fixture-server-'));
    try {
      await mkdir(join(dir, 'root'));
      await writeFile(join(dir, 'root', 'inside.json'), '{}');
      await writeFile(join(dir, 'secret.txt'), 'outside the root');
      server = await startFixtureServer({ root: join(dir, 'root') });
      expect((await fetch(`${server.url}/inside.json`)).status).toBe(200);
      expect((await fetch(`${server.url}/missing.json`)).status).toBe(404);
      expect((await fetch(`${server.url}/..%2fsecret.txt`)).status).toBe(404);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers a programmed route instead of a file and records every request', async () => {
    server = await startFixtureServer();
    server.route('/registry/index.json', (_req, res) => res.writeHead(500).end());
    expect((await fetch(`${server.url}/registry/index.json`)).status).toBe(500);
    expect(server.requests).toEqual(['/registry/index.json']);
  });

  it('closes even while a request it never answers is open', async () => {
    server = await startFixtureServer();
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((done) => (arrived = done));
    server.route('/hang', () => arrived());
    const pending = fetch(`${server.url}/hang`).then(
      () => 'answered',
      () => 'failed',
    );
    await requestArrived;
    await server.close();
    expect(await pending).toBe('failed');
  });
});
