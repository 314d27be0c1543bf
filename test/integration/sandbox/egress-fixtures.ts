import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentNodeModules } from '../../../src/shared/npm/index.js';
import { runProcess, scrubbedEnv } from '../../../src/shared/process-runner.js';
import type { EgressLogger, ResolvedDestination } from '../../../src/shared/sandbox/egress-proxy.js';
import { bwrapSandbox } from '../../../src/shared/sandbox/index.js';

/*
 * Stand-ins for the internet in the egress tests: an HTTPS and an HTTP server on 127.0.0.1 with a
 * self-signed certificate for the test host names, and a resolver that maps those names to them.
 */

export const ALLOWED_HOST = 'api.allowed.test';
export const UNDECLARED_HOST = 'other.undeclared.test';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BRIDGE = join(REPO, 'worker', 'egress-bridge.mjs');
const PROBE = fileURLToPath(new URL('./fixtures/egress-probe.mjs', import.meta.url));

export interface FixtureInternet {
  dir: string;
  certFile: string;
  httpsPort: number;
  httpPort: number;
  /** What each server was asked, as "<scheme> <host header> <path>". */
  requests: string[];
  /** The header names of each request, in the same order. */
  headerNames: string[][];
  /** Maps the test names to 127.0.0.1, port 443 to the HTTPS server and 80 to the HTTP one. */
  resolveHost: (host: string, port: number) => Promise<ResolvedDestination[]>;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function startFixtureInternet(): Promise<FixtureInternet> {
  const dir = await mkdtemp(join(tmpdir(), 'pd-egress-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const made = await runProcess({
    command: 'openssl',
    args: ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${ALLOWED_HOST}`, '-addext', `subjectAltName=DNS:${ALLOWED_HOST},DNS:${UNDECLARED_HOST},DNS:localhost`],
    cwd: dir,
    env: { PATH: '/usr/bin:/bin' },
    timeoutMs: 30_000,
  });
  if (!made.ok) throw new Error(`openssl could not make the fixture certificate: ${made.stderr}`);
  const requests: string[] = [];
  const headerNames: string[][] = [];
  const answer = (scheme: string) => (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${scheme} ${req.headers.host ?? ''} ${req.url ?? ''}`);
    headerNames.push(Object.keys(req.headers));
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${scheme} hello from ${req.headers.host ?? '?'}${req.url ?? ''}`);
  };
  const httpsServer = createHttpsServer({ key: await readFile(keyFile), cert: await readFile(certFile) }, answer('https'));
  const httpServer = createHttpServer(answer('http'));
  const httpsPort = await listen(httpsServer);
  const httpPort = await listen(httpServer);
  const names = new Set([ALLOWED_HOST, UNDECLARED_HOST]);
  return {
    dir,
    certFile,
    httpsPort,
    httpPort,
    requests,
    headerNames,
    resolveHost: async (host, port) => {
      if (!names.has(host)) throw new Error(`ENOTFOUND ${host}`);
      return [{ address: '127.0.0.1', port: port === 443 ? httpsPort : port === 80 ? httpPort : port }];
    },
    close: async () => {
      for (const server of [httpsServer, httpServer]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type Probe = { name: string; kind: 'fetch' | 'http.get' | 'https.get' | 'axios'; url: string } | { name: string; kind: 'connect'; host: string; port: number };

/**
 * Runs the probe script in the real bubblewrap sandbox (no network namespace access), with the egress
 * proxy's socket bound in when one is given, and returns what each probe saw.
 */
export async function probeFromSandbox(internet: FixtureInternet, socketPath: string | undefined, probes: Probe[]): Promise<Record<string, string>> {
  const scratch = await mkdtemp(join(tmpdir(), 'pd-egress-run-'));
  try {
    const script = join(scratch, 'probe.mjs');
    await writeFile(script, await readFile(PROBE));
    const result = await runProcess(
      bwrapSandbox.wrap(
        {
          command: process.execPath,
          args: [script, BRIDGE, socketPath ?? '', JSON.stringify(probes)],
          cwd: scratch,
          env: scrubbedEnv('/tmp', { NODE_EXTRA_CA_CERTS: internet.certFile }),
          timeoutMs: 90_000,
        },
        { writable: [], readOnly: [scratch, join(REPO, 'worker'), agentNodeModules(), internet.certFile, ...(socketPath ? [socketPath] : [])], network: false },
      ),
    );
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    if (!result.ok || !line.startsWith('{')) throw new Error(`the probe failed (exit ${String(result.exitCode)}): ${result.stderr}${result.stdout}`);
    return JSON.parse(line) as Record<string, string>;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A logger that keeps what it was told. */
export function recordingLogger(): EgressLogger & { warnings: Array<{ fields: Record<string, unknown>; message: string }> } {
  const warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
  return { warnings, warn: (fields, message) => void warnings.push({ fields, message }) };
}
