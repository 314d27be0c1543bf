import type { Logger, Route } from '@elizaos/core';
import { codedError, toPluginDynamicError } from '../../errors.js';
import { toJsonSafe } from './json-frames.js';
import type { PluginHost } from './plugin-host.js';
import { RouteAnswerSchema, type HostManifest, type Json } from './protocol.js';

/*
 * An isolated plugin's HTTP route, as the agent serves it. The server mounts it on the agent's own
 * origin, beside the web client and the Plugin Manager, so nothing it answers may run there as active
 * content: the answer is JSON or plain text, with a content type the agent sets itself, under
 * `Content-Security-Policy: sandbox` (the browser gives the page an opaque origin of its own, with no
 * scripts, no storage and no same-origin access) and `X-Content-Type-Options: nosniff`. Any other
 * content type is refused. The route is never a panel of the web client: the server lists public,
 * named GET routes as tabs of the agent pane, so the stub keeps neither `public` nor `name`.
 */

/** Set on every answer of an isolated route, refusals included. */
export const ISOLATED_ROUTE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': 'sandbox',
  'X-Content-Type-Options': 'nosniff',
};

/** The only content types an isolated route may answer with, as the agent writes them. */
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** Headers of the plugin's answer, besides the content type, that reach the client. */
const PASSED_HEADERS = new Set(['cache-control', 'etag', 'last-modified']);

type RouteAnswer = ReturnType<typeof RouteAnswerSchema.parse>;

/** The content type the agent serves the answer with, or undefined when it is refused. */
export function isolatedContentType(answer: Pick<RouteAnswer, 'headers' | 'body'>): string | undefined {
  const declared = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const media = declared?.split(';')[0]?.trim().toLowerCase();
  if (typeof answer.body !== 'string') {
    // A value that is not text goes out as JSON, whatever the plugin called it.
    return media === undefined || media === 'application/json' || media === 'text/plain' ? JSON_TYPE : undefined;
  }
  if (media === undefined || media === 'text/plain') return TEXT;
  if (media === 'application/json') return JSON_TYPE;
  return undefined;
}

export interface IsolatedRouteContext {
  host: Pick<PluginHost, 'call'>;
  logger: Pick<Logger, 'warn'>;
  plugin: string;
}

const safe = (value: unknown): Json => (toJsonSafe(value) ?? null) as Json;

/** The route stub: forwards the request to the host and serves its checked answer as inert data. */
export function isolatedRoute(ctx: IsolatedRouteContext, r: HostManifest['routes'][number]): Route {
  return {
    type: r.type,
    path: r.path,
    handler: async (req, res) => {
      for (const [name, value] of Object.entries(ISOLATED_ROUTE_HEADERS)) res.setHeader?.(name, value);
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'accept', 'accept-language']) {
        const v = req.headers?.[h];
        if (typeof v === 'string') headers[h] = v;
      }
      try {
        const answer = RouteAnswerSchema.parse(
          await ctx.host.call('route', [r.index, safe({ method: req.method, path: req.path, url: req.url, params: req.params, query: req.query, body: req.body, headers })]),
        );
        const type = isolatedContentType(answer);
        if (type === undefined) {
          const declared = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
          throw codedError('ROUTE_CONTENT_REFUSED', { plugin: ctx.plugin, path: r.path, type: declared.slice(0, 100) });
        }
        for (const [name, value] of Object.entries(answer.headers)) if (PASSED_HEADERS.has(name.toLowerCase())) res.setHeader?.(name, value);
        res.setHeader?.('Content-Type', type);
        res.status(answer.status);
        if (answer.body === undefined || answer.body === null) res.end();
        else if (typeof answer.body === 'string') res.send(answer.body);
        else res.json(answer.body);
      } catch (error) {
        const e = toPluginDynamicError(error, 'HOST_CALL_FAILED');
        if (e.code === 'ROUTE_CONTENT_REFUSED') ctx.logger.warn({ src: `plugin-dynamic:host:${ctx.plugin}`, route: r.path, code: e.code }, e.message);
        res.setHeader?.('Content-Type', JSON_TYPE);
        res.status(502).json({ success: false, error: { code: e.code, message: e.message } });
      }
    },
  };
}
