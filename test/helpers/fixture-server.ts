import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Serves fixture files on 127.0.0.1 so that network code is tested against a real HTTP server (the
 * public registry is not reachable from CI), plus programmable routes for a server that misbehaves:
 * errors, garbage, answers that never come.
 */

export type FixtureHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FixtureServer {
  /** Base address without a trailing slash, e.g. "http://127.0.0.1:41234". */
  url: string;
  /** Paths requested so far, in order (route and file requests alike). */
  requests: string[];
  /** Answers `path` with `handler` instead of a file; a later call for the same path replaces it. */
  route(path: string, handler: FixtureHandler): void;
  /** Stops the server, ending any request still open (a handler that never answers included). */
  close(): Promise<void>;
}

/** The fixtures copied from shared/fixtures into the repository (test/fixtures/shared/SOURCE.md says from where). */
export const DEFAULT_FIXTURE_ROOT = fileURLToPath(new URL('../fixtures/shared/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.md': 'text/markdown',
  '.txt': 'text/plain',
  '.tgz': 'application/gzip',
};

function fileUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const target = resolve(root, `.${decoded}`);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return undefined;
  return target;
}

async function serveFile(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const file = fileUnder(root, urlPath);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
  });
  createReadStream(file).pipe(res);
}

export async function startFixtureServer(options: { root?: string } = {}): Promise<FixtureServer> {
  const root = resolve(options.root ?? DEFAULT_FIXTURE_ROOT);
  const routes = new Map<string, FixtureHandler>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fixture').pathname;
    requests.push(path);
    const handler = routes.get(path);
    if (handler) {
      handler(req, res);
      return;
    }
    serveFile(root, path, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(path, handler) {
      routes.set(path, handler);
    },
    close() {
      // Memoised: closing twice (a test and its afterEach) is harmless.
      closing ??= new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
