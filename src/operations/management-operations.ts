import { z } from 'zod';
import { ISOLATION_CHOICES } from '../management/state/plugin-record.js';
import { FleetBuildEntrySchema } from '../fleet/fleet-builds.js';
import { ConfirmationSchema } from '../management/in-process-confirmation.js';
import { operation, withSignal } from './operation.js';
import { PluginViewSchema, RegistryEntrySchema, SearchAnswerSchema, UninstallAnswerSchema } from './records.js';

const pluginName = z.string().trim().min(1).max(300);
const onePlugin = z.strictObject({ plugin: pluginName });

/** What trying an action answered (POST /plugins/run-action). */
export const ActionTrialSchema = z.object({
  plugin: z.string(),
  action: z.string(),
  message: z.string(),
  success: z.boolean(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** Capability 1: the registry and the installed plugins' lifecycle. */
export const managementOperations = {
  // Try a plugin without a model: one action of an active installed plugin, run with a message.
  runAction: operation({
    method: 'POST',
    path: '/plugins/run-action',
    input: z.strictObject({ action: z.string().trim().min(1).max(200), message: z.string().max(10_000).default(''), plugin: pluginName.optional() }),
    output: ActionTrialSchema,
    handler: (s, b) => s.management.tryAction(b),
  }),
  search: operation({
    method: 'GET',
    path: '/registry/search',
    input: z.object({ q: z.string().max(200).default(''), limit: z.coerce.number().int().min(1).max(50).default(10), all: z.enum(['true', 'false']).optional() }),
    output: SearchAnswerSchema,
    handler: (s, q, signal) => s.management.search(q.q, { limit: q.limit, v1Only: q.all !== 'true', ...withSignal(signal) }),
  }),
  // The fleet's stored builds (none on a PGLite agent); each installs with the source fleet:<name>@<version>.
  fleetSearch: operation({
    method: 'GET',
    path: '/fleet/search',
    input: z.object({ q: z.string().max(200).default(''), limit: z.coerce.number().int().min(1).max(50).default(10) }),
    output: z.array(FleetBuildEntrySchema),
    handler: async (s, q) => (s.creation.fleetInUse ? s.creation.searchFleet(q.q, q.limit) : []),
  }),
  info: operation({
    method: 'GET',
    path: '/registry/info',
    input: z.object({ name: pluginName }),
    output: RegistryEntrySchema,
    handler: (s, q, signal) => s.management.registryInfo(q.name, withSignal(signal)),
  }),
  list: operation({
    method: 'GET',
    path: '/plugins',
    input: undefined,
    output: z.array(PluginViewSchema),
    handler: async (s) => s.management.list(),
  }),
  install: operation({
    method: 'POST',
    path: '/plugins/install',
    input: z.strictObject({ source: z.string().trim().min(1).max(500), activate: z.boolean().default(true) }),
    output: PluginViewSchema,
    handler: (s, b, signal) => s.management.install(b.source, { activate: b.activate, ...withSignal(signal) }),
  }),
  configure: operation({
    method: 'POST',
    path: '/plugins/configure',
    input: z.strictObject({ plugin: pluginName, settings: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.string().max(10_000)) }),
    output: PluginViewSchema,
    handler: (s, b) => s.management.configure(b.plugin, b.settings),
  }),
  activate: operation({
    method: 'POST',
    path: '/plugins/activate',
    input: onePlugin,
    output: PluginViewSchema,
    handler: (s, b, signal) => (signal ? s.management.activate(b.plugin, { signal }) : s.management.activate(b.plugin)),
  }),
  deactivate: operation({
    method: 'POST',
    path: '/plugins/deactivate',
    input: onePlugin,
    output: PluginViewSchema,
    handler: (s, b) => s.management.deactivate(b.plugin),
  }),
  unload: operation({
    method: 'POST',
    path: '/plugins/unload',
    input: onePlugin,
    output: PluginViewSchema,
    handler: (s, b) => s.management.unload(b.plugin),
  }),
  isolation: operation({
    method: 'POST',
    path: '/plugins/isolation',
    input: z.strictObject({ plugin: pluginName, mode: z.enum(ISOLATION_CHOICES), confirm: ConfirmationSchema.optional() }),
    output: PluginViewSchema,
    // Every surface of the table can be scripted: a move in-process needs the typed name and the terminal's code.
    handler: (s, b) => s.management.setIsolation(b.plugin, b.mode, { confirm: b.confirm }),
  }),
  uninstall: operation({
    method: 'POST',
    path: '/plugins/uninstall',
    input: onePlugin,
    output: UninstallAnswerSchema,
    handler: (s, b) => s.management.uninstall(b.plugin),
  }),
};
