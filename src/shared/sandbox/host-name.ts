/**
 * A DNS host name a plugin may be allowed to reach: lower case, at least one dot, a top-level label that
 * starts with a letter. No scheme, port, path or wildcard; IP literals and `localhost` do not match.
 */
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** The form host names are compared in: trimmed, lower case, without the root's trailing dot. */
export function normalizeHostName(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** True for a host name (in normalized form) that may appear in a network allowlist. */
export function isHostName(host: string): boolean {
  return HOST_NAME.test(host);
}
