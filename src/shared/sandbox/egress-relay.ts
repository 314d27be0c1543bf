import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Sockets the proxy opened towards the internet, so that closing the proxy can end them. */
export type SocketTracker = (socket: Socket) => void;

/** Ends a CONNECT request that will not be tunnelled, with a status and a line that says why. */
export function answerConnect(client: Duplex, status: number, reason: string, explanation: string): void {
  const body = `${explanation}\n`;
  client.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * Opens a TCP connection to an address that was already checked, then joins it to the client's
 * CONNECT socket byte for byte. The address is an IP, never a name: the name is not resolved twice.
 */
export function tunnel(client: Duplex, head: Buffer, address: string, port: number, connectTimeoutMs: number, track: SocketTracker): void {
  const upstream = connect({ host: address, port });
  track(upstream);
  let joined = false;
  const timer = setTimeout(() => upstream.destroy(new Error('connect timeout')), connectTimeoutMs);
  upstream.once('connect', () => {
    clearTimeout(timer);
    joined = true;
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => {
    clearTimeout(timer);
    if (!joined && client.writable) answerConnect(client, 502, 'Bad Gateway', `plugin-dynamic egress proxy: could not connect to port ${port}.`);
    else client.destroy();
  });
  upstream.on('close', () => {
    clearTimeout(timer);
    if (joined) client.destroy();
  });
  client.on('close', () => upstream.destroy());
}

/** Headers that describe one hop, not the message: never passed on (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase()),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}

/**
 * Passes a plain-HTTP request (absolute-form, `GET http://host/path`) to an address that was already
 * checked, with the Host header of the name the client asked for, and streams the answer back.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: { host: string; port: number; path: string },
  destination: { address: string; port: number },
  connectTimeoutMs: number,
  track: SocketTracker,
): void {
  const headers = { ...endToEnd(req.headers), host: target.port === 80 ? target.host : `${target.host}:${target.port}` };
  const upstream = httpRequest({ host: destination.address, port: destination.port, method: req.method, path: target.path, headers, setHost: false, agent: false, timeout: connectTimeoutMs });
  upstream.on('socket', track);
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.on('response', (answer) => {
    // The connect bound is for reaching the server; a slow answer body is the client's to wait for.
    upstream.setTimeout(0);
    res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' }).end(`plugin-dynamic egress proxy: could not reach ${target.host}.\n`);
    else res.destroy();
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}
