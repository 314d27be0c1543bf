// Runs inside the sandbox, in the plugin host, before the plugin's code is imported.
// The sandbox has a network namespace of its own with only a loopback device, so nothing inside can
// reach the agent's network. The one way out is the agent's egress proxy, whose unix socket is bound
// into the sandbox. Node's clients speak to HTTP proxies over TCP, so this opens a loopback TCP port
// that relays each connection to that socket, and points fetch, http, https and the *_PROXY variables
// at it. Nothing here is a wall: code that ignores these settings simply has no network.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { ProxyAgent, setGlobalDispatcher } from 'undici';

function relay(socketPath) {
  return net.createServer((client) => {
    const upstream = net.connect(socketPath);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
}

/**
 * The global agent for plain http: requests go through the proxy, except a request already addressed to
 * the relay itself. That is what a library that reads HTTP_PROXY on its own sends (axios sends
 * `GET http://host/path` to the proxy); proxying it a second time would mangle it.
 */
class BridgeHttpAgent extends http.Agent {
  constructor(relayPort, viaProxy) {
    super();
    this.relayPort = relayPort;
    this.viaProxy = viaProxy;
    this.direct = new http.Agent();
  }

  addRequest(req, options) {
    const host = options.host ?? options.hostname;
    const toRelay = (host === '127.0.0.1' || host === 'localhost') && Number(options.port) === this.relayPort;
    return (toRelay ? this.direct : this.viaProxy).addRequest(req, options);
  }
}

/**
 * Routes this process's HTTP(S) traffic through the egress proxy at `socketPath`.
 * Resolves to the proxy URL the process now uses and a `close()` that stops the relay.
 */
export async function installEgressBridge(socketPath) {
  if (typeof socketPath !== 'string' || socketPath === '') throw new TypeError('installEgressBridge needs the path of the egress proxy socket');
  const server = relay(socketPath);
  await new Promise((/** @type {(value?: unknown) => void} */ resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The relay must not keep the plugin host alive on its own.
  server.unref();
  const port = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const proxyUrl = `http://127.0.0.1:${port}`;

  // fetch (Node's bundled undici reads the global dispatcher that the undici package sets).
  // Every request, http: too, goes through CONNECT: the name is resolved by the proxy, never here.
  setGlobalDispatcher(new ProxyAgent({ uri: proxyUrl, proxyTunnel: true }));
  // http.get / https.get and every library that uses the global agents.
  http.globalAgent = new BridgeHttpAgent(port, new HttpProxyAgent(proxyUrl));
  https.globalAgent = new HttpsProxyAgent(proxyUrl);
  // Libraries that read the conventional variables (axios, got with global-agent, npm, curl children).
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) process.env[name] = proxyUrl;
  for (const name of ['NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']) delete process.env[name];

  return {
    proxyUrl,
    close: () => new Promise((/** @type {(value?: unknown) => void} */ resolve) => server.close(() => resolve())),
  };
}
