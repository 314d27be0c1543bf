import { z } from 'zod';
import { ISOLATION_MODES, TRUST_TIERS } from '../vocabulary.js';
import { PLUGIN_STATUSES } from './plugin-status.js';
import { SignatureCheckSchema } from '../install/signature-check.js';

/** Where a plugin comes from, parsed and validated from what the user typed. */
export const InstallSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('registry'), name: z.string() }),
  z.object({ kind: z.literal('npm'), name: z.string(), range: z.string() }),
  z.object({ kind: z.literal('github'), owner: z.string(), repo: z.string(), ref: z.string().optional() }),
  z.object({ kind: z.literal('folder'), path: z.string() }),
  z.object({ kind: z.literal('tarball'), path: z.string() }),
]);

/** Where an installed plugin came from: what the user typed, or a creation job. */
const RecordedInstallSourceSchema = z.discriminatedUnion('kind', [
  ...InstallSourceSchema.options,
  // agentId: the agent whose job made it, when that may be another agent (a fleet build).
  z.object({ kind: z.literal('generated'), jobId: z.string(), agentId: z.string().optional() }),
]);

/** A setting a plugin reads with runtime.getSetting(name). */
export const SettingDeclarationSchema = z.object({
  name: z.string(),
  description: z.string(),
  required: z.boolean(),
  /** From the declaration, or because the name looks like a key, token, password or secret. */
  sensitive: z.boolean(),
  defaultValue: z.string().optional(),
});

/** Names of what a plugin object declares, read without registering it. */
export const ComponentSummarySchema = z.object({
  actions: z.array(z.string()),
  providers: z.array(z.string()),
  evaluators: z.array(z.string()),
  services: z.array(z.string()),
  routes: z.array(z.string()),
  models: z.array(z.string()),
  events: z.array(z.string()),
});

/** Where a plugin came from, which decides how far it is trusted. */
export { TRUST_TIERS, type TrustTier } from '../vocabulary.js';

export const PluginRecordSchema = z.object({
  /** npm package name; the key of the record. */
  packageName: z.string().min(1),
  /** The exported Plugin object's name (runtime.plugins holds this). */
  pluginName: z.string().min(1),
  version: z.string(),
  source: RecordedInstallSourceSchema,
  trust: z.enum(TRUST_TIERS),
  installDir: z.string(),
  entry: z.string(),
  status: z.enum(PLUGIN_STATUSES),
  settings: z.array(SettingDeclarationSchema),
  components: ComponentSummarySchema,
  installedAt: z.string(),
  updatedAt: z.string(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).optional(),
  /** Overrides where the plugin runs (PLUGIN_DYNAMIC_ISOLATION decides when absent). */
  isolation: z.enum(ISOLATION_MODES).optional(),
  /** What the last unload could not undo (files, tables), for the status provider. */
  residue: z.array(z.string()).optional(),
  /** Installed with PLUGIN_DYNAMIC_SANDBOX=none: npm and the import check ran without a sandbox. */
  unsandboxedInstall: z.literal(true).optional(),
  /** The npm registry's signatures on its packages, checked at install (absent on records from before the check). */
  signatures: SignatureCheckSchema.optional(),
});

export type PluginRecord = z.infer<typeof PluginRecordSchema>;

/** What a request may set a plugin's isolation to: a mode, or `default` (drop the override). */
export { ISOLATION_CHOICES, type IsolationChoice } from '../vocabulary.js';
export type RecordedInstallSource = PluginRecord['source'];
