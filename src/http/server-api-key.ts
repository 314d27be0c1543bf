import { createHash, timingSafeEqual } from 'node:crypto';
import type { RouteRequest } from '@elizaos/core';
import { codedError } from '../errors.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * The ElizaOS server's own API key, checked by plugin-dynamic itself. The 1.7.2 server checks
 * `X-API-KEY` only under /api, but it also answers every plugin route at the site root
 * (/plugin-dynamic/...), where nothing checks it. So when the server has a key
 * (ELIZA_SERVER_AUTH_TOKEN, read from the environment on every request, as the server reads it),
 * every JSON route asks for it, wherever the request came in.
 */
export function requireServerApiKey(req: RouteRequest, env: NodeJS.ProcessEnv = process.env): void {
  const key = env['ELIZA_SERVER_AUTH_TOKEN'];
  if (!key) return;
  const header = req.headers?.['x-api-key'];
  const given = (Array.isArray(header) ? header[0] : header) ?? '';
  if (!given || !timingSafeEqual(digest(given), digest(key))) {
    throw codedError('SERVER_API_KEY_REQUIRED', { request: 'the request', problem: 'it requires its API key (ELIZA_SERVER_AUTH_TOKEN) in the X-API-KEY header' });
  }
}
