import { z } from 'zod';
import { refusedPath, SOURCE_FILE_MAX_BYTES } from '../workspace/workspace-files.js';

/** A source ESLint's fixes changed, workspace-relative, with its text after the fixes. */
export interface FixedSource {
  path: string;
  content: string;
}

const FixedSourcesSchema = z
  .array(z.object({ path: z.string().min(1).max(500), content: z.string().max(SOURCE_FILE_MAX_BYTES) }))
  .max(500);

/**
 * The fixed sources a checker handed back, as the pipeline may take them: JSON it can read, paths
 * a generator could have written (TypeScript under src/), each file within the source size cap.
 * Anything else is dropped, never written: the checker runs beside the plugin's own tests.
 */
export function readFixedSources(value: unknown): FixedSource[] {
  const parsed = FixedSourcesSchema.safeParse(value ?? []);
  if (!parsed.success) return [];
  return parsed.data.filter((f) => refusedPath(f.path) === undefined);
}
