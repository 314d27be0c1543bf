import { z } from 'zod';
import { PLUGIN_STATUSES } from './plugin-status.js';

const InstallSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('registry'), name: z.string() }),
  z.object({ kind: z.literal('npm'), name: z.string(), range: z.string() }),
  z.object({ kind: z.literal('github'), owner: z.string(), repo: z.string(), ref: z.string().optional() }),
  z.object({ kind: z.literal('folder'), path: z.string() }),
  z.object({ kind: z.literal('tarball'), path: z.string() }),
  z.object({ kind: z.literal('generated'), jobId: z.string() }),
]);

const SettingSchema = z.object({
  name: z.string(),
  description: z.string(),
  required: z.boolean(),
  sensitive: z.boolean(),
  defaultValue: z.string().optional(),
});

const ComponentsSchema = z.object({
  actions: z.array(z.string()),
  providers: z.array(z.string()),
  evaluators: z.array(z.string()),
  services: z.array(z.string()),
  routes: z.array(z.string()),
  models: z.array(z.string()),
  events: z.array(z.string()),
});

/** Where a plugin came from, which decides how far it is trusted. */
export const TRUST_TIERS = ['registry', 'user-source', 'generated'] as const;
export type TrustTier = (typeof TRUST_TIERS)[number];

export const PluginRecordSchema = z.object({
  /** npm package name; the key of the record. */
  packageName: z.string().min(1),
  /** The exported Plugin object's name (runtime.plugins holds this). */
  pluginName: z.string().min(1),
  version: z.string(),
  source: InstallSourceSchema,
  trust: z.enum(TRUST_TIERS),
  installDir: z.string(),
  entry: z.string(),
  status: z.enum(PLUGIN_STATUSES),
  settings: z.array(SettingSchema),
  components: ComponentsSchema,
  installedAt: z.string(),
  updatedAt: z.string(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).optional(),
  /** Overrides where the plugin runs (PLUGIN_DYNAMIC_ISOLATION decides when absent). */
  isolation: z.enum(['isolated', 'in-process']).optional(),
  /** What the last unload could not undo (files, tables), for the status provider. */
  residue: z.array(z.string()).optional(),
  /** Installed with PLUGIN_DYNAMIC_SANDBOX=none: npm and the import check ran without a sandbox. */
  unsandboxedInstall: z.literal(true).optional(),
});

export type PluginRecord = z.infer<typeof PluginRecordSchema>;
export type RecordedInstallSource = PluginRecord['source'];
