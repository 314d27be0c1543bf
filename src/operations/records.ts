import { z } from 'zod';
import { CreationCapabilitiesSchema } from '../creation/capabilities.js';
import { JobRecordSchema } from '../creation/jobs/job-record.js';
import type { PluginSpec } from '../creation/spec/plugin-spec.js';
import { PluginViewSchema } from '../management/plugin-view.js';
import { SearchAnswerSchema } from '../management/registry/verified-search.js';
import { RegistryEntrySchema } from '../management/types.js';

/*
 * What the operations answer, as Zod: the HTTP client parses every answer with these, and the
 * handlers are typed by them. Keys are listed in the order the services write them, so that an
 * answer parsed on the client prints exactly as the server sent it.
 */

export const UninstallAnswerSchema = z.object({ packageName: z.string(), removed: z.string() });

/** The specification a sentence became; the creation service has checked it already. */
const PluginSpecAnswerSchema = z.custom<PluginSpec>((value) => typeof value === 'object' && value !== null && !Array.isArray(value));

/** A new job, and the specification when it was made from a description. */
export const CreateAnswerSchema = z.object({ job: JobRecordSchema, spec: PluginSpecAnswerSchema.optional() });

// Older agents leave out `resourceBounds` and `runtime` (doctor says "not reported"), so the client reads them as optional.
export const CapabilitiesSchema = CreationCapabilitiesSchema.partial({ resourceBounds: true, runtime: true });

export { JobRecordSchema, PluginViewSchema, RegistryEntrySchema, SearchAnswerSchema };
export type RegistryEntryAnswer = z.output<typeof RegistryEntrySchema>;
export type SearchAnswerRecord = z.output<typeof SearchAnswerSchema>;
export type Capabilities = z.output<typeof CapabilitiesSchema>;
