import ipaddr from 'ipaddr.js';
import { normalizeHostName } from './host-name.js';

/** Ports a plugin may reach on a declared host: HTTPS, and plain HTTP. */
export const EGRESS_PORTS: ReadonlySet<number> = new Set([443, 80]);

/** Why the proxy refused a destination; one word per reason, for logs and tests. */
export type EgressRefusal = 'undeclared-host' | 'port-not-allowed' | 'private-address' | 'malformed-target';

export interface EgressTarget {
  host: string;
  port: number;
}

/**
 * The destination of a CONNECT request (`host:port`, `[v6]:port`), or undefined when it is not one.
 * The host comes back normalized for comparison with the allowlist.
 */
export function parseConnectTarget(authority: string): EgressTarget | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]{1,253})):(\d{1,5})$/.exec(authority);
  if (!match) return undefined;
  const port = Number(match[3]);
  const host = match[1] ?? match[2];
  if (host === undefined || port < 1 || port > 65_535) return undefined;
  return { host: normalizeHostName(host), port };
}

/**
 * The destination of a plain-HTTP proxy request, which carries an absolute URL
 * (`GET http://host/path`). Only `http:` is forwarded this way; HTTPS goes through CONNECT.
 */
export function parseForwardTarget(requestUrl: string): (EgressTarget & { path: string }) | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || url.username !== '' || url.password !== '') return undefined;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { host: normalizeHostName(host), port: url.port === '' ? 80 : Number(url.port), path: `${url.pathname}${url.search}` };
}

/** Whether a host and port may be reached at all, before any name is resolved. */
export function destinationRefusal(target: EgressTarget, allowedHosts: ReadonlySet<string>): EgressRefusal | undefined {
  if (!allowedHosts.has(target.host)) return 'undeclared-host';
  if (!EGRESS_PORTS.has(target.port)) return 'port-not-allowed';
  return undefined;
}

/**
 * Whether the addresses a declared name resolved to may be reached: only when every one is public.
 * One private answer is enough to refuse, since a rebinding name can mix public and private answers.
 */
export function resolvedRefusal(addresses: readonly string[]): EgressRefusal | undefined {
  return addresses.every(isPublicAddress) ? undefined : 'private-address';
}

/**
 * True when an address belongs to the public internet. Loopback, private, link-local (the cloud
 * metadata address 169.254.169.254 among them), unique-local, carrier-grade NAT, multicast, reserved
 * and unspecified addresses are not; an IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is judged
 * as the IPv4 address it is.
 */
export function isPublicAddress(address: string): boolean {
  // ipaddr.js names every special block (NAT64, 6to4 and Teredo too, which can wrap a private IPv4
  // address); only 'unicast' is the public internet.
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';
}
