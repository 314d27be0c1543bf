import { createServer, request } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A proxy on 127.0.0.1 that lets npm reach the registry and nothing else. */
export interface RegistryProxy {
  /** http://127.0.0.1:<port>, for npm's `proxy` and `https-proxy`. */
  url: string;
  /** host:port pairs asked for and refused. */
  refused: string[];
  close(): Promise<void>;
}

const keyOf = (url: URL): string => `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;

/**
 * Starts a forward proxy for one npm run that passes only the allowed origins: HTTPS through CONNECT
 * (the TLS stays end to end), plain HTTP by forwarding the request. Anything else, such as a tarball
 * a packument places on another host, is answered 403. npm is the only program in its sandbox (git,
 * shells and scripts are refused), and every request of its goes through this proxy.
 */
export async function startRegistryProxy(allowed: URL[]): Promise<RegistryProxy> {
  const hosts = new Set(allowed.map(keyOf));
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (target.protocol !== 'http:' || !hosts.has(keyOf(target))) {
      refused.push(keyOf(target));
      res.writeHead(403).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, socket: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const colon = target.lastIndexOf(':');
    const host = target.slice(0, colon).replace(/^\[|\]$/g, '');
    const port = Number(target.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port) || !hosts.has(`${host}:${port}`)) {
      refused.push(target);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(port, host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
