import { z } from 'zod';

/**
 * The JSON API, as data shared by the routes and the CLI's --agent-url client. Paths are relative
 * to the plugin's prefix: core registers them under /plugin-dynamic, and the ElizaOS 1.x server
 * exposes them at /api/agents/<agentId>/plugins/plugin-dynamic/<path>.
 */
export const PLUGIN_ROUTE_PREFIX = '/plugin-dynamic';

const pluginName = z.string().trim().min(1).max(300);

export const API = {
  search: { method: 'GET', path: '/registry/search', mutating: false, query: z.object({ q: z.string().max(200).default(''), limit: z.coerce.number().int().min(1).max(50).default(10), all: z.enum(['true', 'false']).optional() }) },
  info: { method: 'GET', path: '/registry/info', mutating: false, query: z.object({ name: pluginName }) },
  list: { method: 'GET', path: '/plugins', mutating: false },
  install: { method: 'POST', path: '/plugins/install', mutating: true, body: z.strictObject({ source: z.string().trim().min(1).max(500), activate: z.boolean().default(true) }) },
  configure: { method: 'POST', path: '/plugins/configure', mutating: true, body: z.strictObject({ plugin: pluginName, settings: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.string().max(10_000)) }) },
  activate: { method: 'POST', path: '/plugins/activate', mutating: true, body: z.strictObject({ plugin: pluginName }) },
  deactivate: { method: 'POST', path: '/plugins/deactivate', mutating: true, body: z.strictObject({ plugin: pluginName }) },
  unload: { method: 'POST', path: '/plugins/unload', mutating: true, body: z.strictObject({ plugin: pluginName }) },
  isolation: { method: 'POST', path: '/plugins/isolation', mutating: true, body: z.strictObject({ plugin: pluginName, mode: z.enum(['isolated', 'in-process', 'default']) }) },
  uninstall: { method: 'POST', path: '/plugins/uninstall', mutating: true, body: z.strictObject({ plugin: pluginName }) },
  create: {
    method: 'POST',
    path: '/jobs',
    mutating: true,
    body: z
      .strictObject({
        specification: z.unknown().optional(),
        description: z.string().trim().min(1).max(2_000).optional(),
        generator: z.enum(['template', 'model', 'auto']).optional(),
        activate: z.boolean().optional(),
        replace: z.boolean().optional(),
      })
      .refine((b) => (b.specification === undefined) !== (b.description === undefined), { message: 'send either specification or description' }),
  },
  jobs: { method: 'GET', path: '/jobs', mutating: false },
  job: { method: 'GET', path: '/jobs/status', mutating: false, query: z.object({ id: z.string().trim().min(6).max(64) }) },
  cancel: { method: 'POST', path: '/jobs/cancel', mutating: true, body: z.strictObject({ id: z.string().trim().min(6).max(64) }) },
  capabilities: { method: 'GET', path: '/capabilities', mutating: false },
} as const;

export type ApiName = keyof typeof API;
