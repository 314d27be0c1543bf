import { z } from 'zod';
import { JobRecordSchema } from '../creation/jobs/job-record.js';
import type { PluginSpec } from '../creation/spec/plugin-spec.js';
import { PluginRecordSchema, TRUST_TIERS } from '../management/state/plugin-record.js';
import type { PluginView } from '../management/plugin-view.js';

/*
 * What the operations answer, as Zod: the HTTP client parses every answer with these, and the
 * handlers are typed by them. Keys are listed in the order the services write them, so that an
 * answer parsed on the client prints exactly as the server sent it.
 */

export const RegistryEntrySchema = z.object({
  name: z.string(),
  description: z.string(),
  repository: z.string().optional(),
  supportsV1: z.boolean(),
  npmV1Version: z.string().optional(),
  gitV1Branch: z.string().optional(),
  topics: z.array(z.string()),
  stars: z.number(),
});

const NpmV1CheckSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('verified'), version: z.string() }),
  z.object({ status: z.literal('refused'), reason: z.string() }),
  z.object({ status: z.literal('unverified'), reason: z.string() }),
]);

export const SearchAnswerSchema = z.object({
  hits: z.array(
    z.object({
      entry: RegistryEntrySchema,
      score: z.number(),
      matchedOn: z.array(z.enum(['name', 'description', 'topics'])),
      npm: NpmV1CheckSchema.optional(),
    }),
  ),
  origin: z.enum(['network', 'cache', 'stale-cache', 'none']),
  warning: z.string().optional(),
  /** With a 1.x search: matching entries not offered (suggest --all). */
  hidden: z.number().int().optional(),
});

const { shape: record } = PluginRecordSchema;

/** An installed plugin as the services show it (never a setting's value). */
export const PluginViewSchema = z
  .object({
    packageName: z.string(),
    pluginName: z.string(),
    version: z.string(),
    status: record.status,
    trust: z.enum(TRUST_TIERS),
    isolation: z.enum(['isolated', 'in-process']),
    isolationDecidedBy: z.enum(['default', 'override']),
    source: z.string(),
    installDir: z.string(),
    settings: z.array(z.object({ name: z.string(), description: z.string(), required: z.boolean(), sensitive: z.boolean(), set: z.boolean() })),
    missingSettings: z.array(z.string()),
    components: record.components,
    installedAt: z.string(),
    updatedAt: z.string(),
    lastError: record.lastError,
    residue: z.array(z.string()),
  })
  // The management service's own type names `lastError` even when it is absent from the JSON.
  .transform((view): PluginView => ({ ...view, lastError: view.lastError }));

export const UninstallAnswerSchema = z.object({ packageName: z.string(), removed: z.string() });

/** The specification a sentence became; the creation service has checked it already. */
const PluginSpecAnswerSchema = z.custom<PluginSpec>((value) => typeof value === 'object' && value !== null && !Array.isArray(value));

/** A new job, and the specification when it was made from a description. */
export const CreateAnswerSchema = z.object({ job: JobRecordSchema, spec: PluginSpecAnswerSchema.optional() });

export const CapabilitiesSchema = z.object({
  generator: z.enum(['template', 'model', 'auto']),
  modelAvailable: z.boolean(),
  effectiveGenerator: z.enum(['template', 'model']),
  sandbox: z.string(),
  limits: z.object({
    maxIterations: z.number(),
    maxConcurrentJobs: z.number(),
    jobsPerHour: z.number(),
    commandTimeoutMs: z.number(),
    jobDeadlineMs: z.number(),
    modelCallTimeoutMs: z.number(),
    outputCapBytes: z.number(),
    jobMemoryMb: z.number(),
    jobMaxProcesses: z.number(),
    workspaceLimitMb: z.number(),
  }),
  // Absent from older agents (doctor says "not reported").
  resourceBounds: z.string().optional(),
  runtime: z.object({ agent: z.string(), children: z.string(), childrenOk: z.boolean() }).optional(),
  toolchain: z.record(z.string(), z.string()).optional(),
});

export { JobRecordSchema };
export type RegistryEntryAnswer = z.output<typeof RegistryEntrySchema>;
export type SearchAnswerRecord = z.output<typeof SearchAnswerSchema>;
export type Capabilities = z.output<typeof CapabilitiesSchema>;
