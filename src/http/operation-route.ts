import { createHash, timingSafeEqual } from 'node:crypto';
import type { IAgentRuntime, Route, RouteRequest, RouteResponse } from '@elizaos/core';
import type { z } from 'zod';
import { codedError, errorEnvelope, toPluginDynamicError } from '../errors.js';
import { isMutating, servicesOf, type Operation, type OperationInput, type Services } from '../operations/index.js';
import { httpStatus } from './http-errors.js';
import { requireServerApiKey } from './server-api-key.js';

function services(runtime: IAgentRuntime): Services {
  const found = servicesOf(runtime);
  if (!found) throw codedError('INTERNAL', { what: 'The plugin-dynamic services', problem: 'are not running.' });
  return found;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Mutating routes need the configured token; without one configured they are closed. */
function authorize(req: RouteRequest, token: string | undefined): void {
  if (!token) {
    throw codedError('UNAUTHORIZED', { reason: 'Changes over HTTP are disabled until PLUGIN_DYNAMIC_API_TOKEN is set (16+ characters) in the agent settings' });
  }
  const header = req.headers?.['authorization'];
  const given = (Array.isArray(header) ? header[0] : header)?.replace(/^Bearer\s+/i, '') ?? '';
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw codedError('UNAUTHORIZED', { reason: 'Missing or wrong bearer token' });
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || where;
  throw codedError('INVALID_INPUT', { input: `${field}:`, problem: issue?.message ?? 'invalid' });
}

/** The input of a request: the body of a POST, the query of a GET, parsed by the operation's schema. */
function inputOf<I extends z.ZodType | undefined>(op: Operation<I>, req: RouteRequest): OperationInput<I> {
  if (op.input === undefined) return undefined as OperationInput<I>;
  const parsed: unknown = op.method === 'GET' ? parse(op.input, req.query, 'query') : parse(op.input, req.body, 'body');
  return parsed as OperationInput<I>;
}

/**
 * One operation as a JSON route: the server's API key when it has one, the plugin's token for
 * mutating routes, the operation's input schema on the body or query, its answer as
 * { success: true, data }, and every error as { success: false, error: { code, message } } with its status.
 */
export function operationRoute<I extends z.ZodType | undefined, O extends z.ZodType>(endpoint: Operation<I, O>): Route {
  return {
    type: endpoint.method,
    path: endpoint.path,
    handler: async (req: RouteRequest, res: RouteResponse, runtime: IAgentRuntime): Promise<void> => {
      try {
        requireServerApiKey(req);
        const s = services(runtime);
        if (isMutating(endpoint)) authorize(req, s.management.settings.apiToken);
        const data: z.output<O> = await endpoint.handler(s, inputOf(endpoint, req));
        res.status(200).json({ success: true, data });
      } catch (error) {
        const e = toPluginDynamicError(error);
        // A refused token is decided here; every other refusal is logged where it is decided.
        if (e.code === 'UNAUTHORIZED') {
          runtime.logger.warn({ src: 'plugin-dynamic:http', code: e.code, route: `${endpoint.method} ${endpoint.path}` }, `[${e.code}] ${e.message}`);
        }
        const { error: body } = errorEnvelope(e);
        // A consent request travels with its refusal, so the panel and the CLI can show it and answer it.
        const request = e.code === 'APPROVAL_REQUIRED' ? e.details?.['request'] : undefined;
        res.status(httpStatus(e.code)).json({ success: false, error: { code: body.code, message: body.message, ...(request ? { request } : {}) } });
      }
    },
  };
}
