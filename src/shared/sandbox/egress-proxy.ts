import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { codedError } from '../../errors.js';
import { normalizeHostName } from './host-name.js';
import { answerConnect, forward, tunnel } from './egress-relay.js';
import { destinationRefusal, parseConnectTarget, parseForwardTarget, resolvedRefusal, type EgressRefusal, type EgressTarget } from './egress-rules.js';
import { bounded } from '../bounded.js';

export interface EgressLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface EgressProxyOptions {
  /** Host names the plugin declared. Empty: every request is refused. */
  allowedHosts: readonly string[];
  /** Named in every refusal the proxy logs. */
  pluginName: string;
  logger: EgressLogger;
  /**
   * The proxy makes a folder of its own (`egress-*`, mode 700) under this one, created if missing, and
   * puts its socket there. Keep it short: a unix socket path holds at most 107 bytes.
   */
  dir: string;
  /** Aborting closes the proxy, as `close()` does. */
  signal?: AbortSignal;
  /**
   * Test hook: answers name resolution in place of the system resolver. An answer may also move the
   * port, so that fixture servers on ephemeral ports can stand in for ports 443 and 80.
   */
  resolveHost?: (host: string, port: number) => Promise<ResolvedDestination[]>;
  /**
   * Test only: lets declared names resolve to loopback and private addresses (fixture servers on
   * 127.0.0.1). Never set in production: it reopens the door to the agent's own ports.
   * @default false
   */
  allowPrivateAddresses?: boolean;
  /** Bound on resolving a name and on opening the connection, each. @default 10_000 */
  connectTimeoutMs?: number;
  /** Client connections open at once; more wait in the kernel's queue. @default 64 */
  maxConnections?: number;
}

/** One address a name resolved to; `port` only from the test hook. */
export interface ResolvedDestination {
  address: string;
  port?: number;
}

export interface EgressProxy {
  /** The unix socket to bind into the sandbox; `worker/egress-bridge.mjs` connects to it. */
  socketPath: string;
  /** Stops accepting, ends every open connection and removes the socket's folder. Idempotent. */
  close(): Promise<void>;
}

const SRC = 'plugin-dynamic:egress';
const FOLDER_PREFIX = 'egress-';
/** A unix socket path holds at most 107 bytes on Linux (108 with the terminating NUL). */
const MAX_SOCKET_PATH = 107;
/** Distinct refusals logged per proxy; past it one line says the rest go unlogged. */
const MAX_LOGGED_REFUSALS = 200;

const REFUSAL_WORDS: Record<EgressRefusal, string> = {
  'undeclared-host': 'the host is not among the hosts the plugin declared',
  'port-not-allowed': 'only ports 443 and 80 may be reached',
  'private-address': 'the name resolves to a loopback, private, link-local or metadata address',
  'malformed-target': 'the request does not name a host and port',
};

type Admission = { ok: true; address: string; port: number } | { ok: false; refusal: EgressRefusal } | { ok: false; unresolved: true };

async function systemResolve(host: string): Promise<ResolvedDestination[]> {
  return (await lookup(host, { all: true })).map((entry) => ({ address: entry.address }));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return bounded(promise, { ms, onTimeout: () => new Error(`no answer in ${ms} ms`) });
}

/**
 * An HTTP(S) egress proxy for one sandboxed plugin, on a unix socket. It tunnels CONNECT and forwards
 * plain HTTP only to the plugin's declared host names on ports 443 and 80, and only when every address
 * the name resolves to is public: a declared name that resolves to the agent's loopback, a private
 * network or the cloud metadata address is refused (DNS rebinding). The connection goes to the address
 * that was checked, so the name is never resolved a second time. Each distinct refusal is logged once,
 * with the plugin and the host.
 */
export async function startEgressProxy(opts: EgressProxyOptions): Promise<EgressProxy> {
  opts.signal?.throwIfAborted();
  const allowed = new Set(opts.allowedHosts.map(normalizeHostName));
  const resolve = opts.resolveHost ?? systemResolve;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;

  await mkdir(opts.dir, { recursive: true });
  const folder = await mkdtemp(join(opts.dir, FOLDER_PREFIX));
  await chmod(folder, 0o700);
  const socketPath = join(folder, 'proxy.sock');
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    await rm(folder, { recursive: true, force: true });
    throw codedError('INVALID_SETTING', {
      setting: 'PLUGIN_DYNAMIC_DATA_DIR',
      problem: `the egress proxy's socket path ${socketPath} is longer than the ${MAX_SOCKET_PATH} bytes a unix socket allows; use a shorter one`,
    });
  }

  const logged = new Set<string>();
  const logRefusal = (host: string, port: number | undefined, refusal: EgressRefusal): void => {
    const key = `${refusal} ${host}`;
    if (logged.has(key) || logged.size > MAX_LOGGED_REFUSALS) return;
    logged.add(key);
    if (logged.size > MAX_LOGGED_REFUSALS) {
      opts.logger.warn({ src: SRC, plugin: opts.pluginName }, `Plugin ${opts.pluginName} was refused network access for more than ${MAX_LOGGED_REFUSALS} different hosts; further refusals are not logged.`);
      return;
    }
    const where = port === undefined ? host : `${host}:${port}`;
    opts.logger.warn({ src: SRC, plugin: opts.pluginName, host, port, reason: refusal }, `Network access refused: plugin ${opts.pluginName} tried to reach ${where}, and ${REFUSAL_WORDS[refusal]}.`);
  };

  const admit = async (target: EgressTarget): Promise<Admission> => {
    const refused = destinationRefusal(target, allowed);
    if (refused) return { ok: false, refusal: refused };
    let destinations: ResolvedDestination[];
    try {
      destinations = isIP(target.host) ? [{ address: target.host }] : await withTimeout(resolve(target.host, target.port), connectTimeoutMs);
    } catch {
      return { ok: false, unresolved: true };
    }
    const first = destinations[0];
    if (first === undefined) return { ok: false, unresolved: true };
    const refusal = opts.allowPrivateAddresses ? undefined : resolvedRefusal(destinations.map((d) => d.address));
    if (refusal) return { ok: false, refusal };
    return { ok: true, address: first.address, port: first.port ?? target.port };
  };

  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const onConnect = (req: IncomingMessage, client: Duplex, head: Buffer): void => {
    client.on('error', () => client.destroy());
    const target = parseConnectTarget(req.url ?? '');
    if (!target) {
      logRefusal((req.url ?? '').slice(0, 100), undefined, 'malformed-target');
      answerConnect(client, 400, 'Bad Request', `plugin-dynamic egress proxy: ${REFUSAL_WORDS['malformed-target']}.`);
      return;
    }
    void admit(target).then((admission) => {
      if (admission.ok) return tunnel(client, head, admission.address, admission.port, connectTimeoutMs, track);
      if ('refusal' in admission) {
        logRefusal(target.host, target.port, admission.refusal);
        return answerConnect(client, 403, 'Forbidden', `plugin-dynamic egress proxy: ${target.host}:${target.port} refused: ${REFUSAL_WORDS[admission.refusal]}.`);
      }
      answerConnect(client, 502, 'Bad Gateway', `plugin-dynamic egress proxy: ${target.host} could not be resolved.`);
    }).catch(() => client.destroy());
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const target = parseForwardTarget(req.url ?? '');
    const refuse = (status: number, text: string) => res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(`plugin-dynamic egress proxy: ${text}\n`);
    if (!target) {
      logRefusal((req.url ?? '').slice(0, 100), undefined, 'malformed-target');
      refuse(400, `${REFUSAL_WORDS['malformed-target']} (send an absolute http:// URL, or CONNECT for https).`);
      return;
    }
    void admit(target).then((admission) => {
      if (admission.ok) return forward(req, res, target, admission, connectTimeoutMs, track);
      if ('refusal' in admission) {
        logRefusal(target.host, target.port, admission.refusal);
        return refuse(403, `${target.host}:${target.port} refused: ${REFUSAL_WORDS[admission.refusal]}.`);
      }
      refuse(502, `${target.host} could not be resolved.`);
    }).catch(() => res.destroy());
  };

  const server = createServer(onRequest);
  server.on('connect', onConnect);
  server.on('connection', track);
  server.maxConnections = opts.maxConnections ?? 64;
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(socketPath, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  }).catch(async (error: unknown) => {
    await rm(folder, { recursive: true, force: true });
    throw error;
  });
  await chmod(socketPath, 0o600);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      opts.signal?.removeEventListener('abort', onAbort);
      const closed = new Promise<void>((done) => server.close(() => done()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await rm(folder, { recursive: true, force: true });
    })();
    return closing;
  };
  const onAbort = (): void => void close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) {
    await close();
    opts.signal.throwIfAborted();
  }
  return { socketPath, close };
}

/**
 * Removes the socket folders that proxies of a process that died left under `dir`. Call it once at
 * start, before any proxy of this process exists.
 */
export async function sweepEgressFolders(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const stale = names.filter((name) => name.startsWith(FOLDER_PREFIX));
  for (const name of stale) await rm(join(dir, name), { recursive: true, force: true });
  return stale.length;
}
