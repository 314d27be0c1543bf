import { createHash, timingSafeEqual } from 'node:crypto';
import type { IAgentRuntime, Route, RouteRequest, RouteResponse } from '@elizaos/core';
import type { z } from 'zod';
import { errorEnvelope, PluginDynamicError, toPluginDynamicError } from '../errors.js';
import type { PluginCreationService } from '../creation/plugin-creation-service.js';
import type { PluginManagementService } from '../management/plugin-management-service.js';
import type { API } from './api-contract.js';
import { httpStatus } from './http-errors.js';
import { requireServerApiKey } from './server-api-key.js';

export interface Services {
  management: PluginManagementService;
  creation: PluginCreationService;
}

type Endpoint = (typeof API)[keyof typeof API];
type Input<E> = E extends { body: z.ZodType<infer B> } ? B : E extends { query: z.ZodType<infer Q> } ? Q : undefined;

function services(runtime: IAgentRuntime): Services {
  const management = runtime.getService<PluginManagementService>('plugin_management');
  const creation = runtime.getService<PluginCreationService>('plugin_creation');
  if (!management || !creation) throw new PluginDynamicError('INTERNAL', 'The plugin-dynamic services are not running.');
  return { management, creation };
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Mutating routes need the configured token; without one configured they are closed. */
function authorize(req: RouteRequest, token: string | undefined): void {
  if (!token) {
    throw new PluginDynamicError('UNAUTHORIZED', 'Changes over HTTP are disabled until PLUGIN_DYNAMIC_API_TOKEN is set (16+ characters) in the agent settings.');
  }
  const header = req.headers?.['authorization'];
  const given = (Array.isArray(header) ? header[0] : header)?.replace(/^Bearer\s+/i, '') ?? '';
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new PluginDynamicError('UNAUTHORIZED', 'Missing or wrong bearer token.');
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || where;
  throw new PluginDynamicError('INVALID_INPUT', `${field}: ${issue?.message ?? 'invalid'}`);
}

/**
 * One JSON route over the services: the server's API key when it has one, the plugin's token for
 * mutating routes, Zod on the body or query,
 * and every error as { success: false, error: { code, message } } with its status.
 */
export function jsonRoute<E extends Endpoint>(endpoint: E, handler: (input: Input<E>, s: Services) => Promise<unknown>): Route {
  return {
    type: endpoint.method,
    path: endpoint.path,
    handler: async (req: RouteRequest, res: RouteResponse, runtime: IAgentRuntime): Promise<void> => {
      try {
        requireServerApiKey(req);
        const s = services(runtime);
        if (endpoint.mutating) authorize(req, s.management.settings.apiToken);
        const input = ('body' in endpoint
          ? parse(endpoint.body, req.body, 'body')
          : 'query' in endpoint
            ? parse(endpoint.query, req.query, 'query')
            : undefined) as Input<E>;
        const data = await handler(input, s);
        res.status(200).json({ success: true, data });
      } catch (error) {
        const e = toPluginDynamicError(error);
        // A refused token is decided here; every other refusal is logged where it is decided.
        if (e.code === 'UNAUTHORIZED') {
          runtime.logger.warn({ src: 'plugin-dynamic:http', code: e.code, route: `${endpoint.method} ${endpoint.path}` }, `[${e.code}] ${e.message}`);
        }
        const { error: body } = errorEnvelope(e);
        res.status(httpStatus(e.code)).json({ success: false, error: { code: body.code, message: body.message } });
      }
    },
  };
}
