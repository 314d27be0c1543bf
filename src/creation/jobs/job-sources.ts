import { z } from 'zod';
import type { GeneratedFile, PluginGenerator } from '../generators/generator.js';
import { checkGeneratedPaths } from '../workspace/workspace-files.js';

/** Bounds of the sources kept for a retry: enough for a generated plugin, never a store of anything. */
export const STORED_SOURCES_MAX_FILES = 200;
export const STORED_SOURCES_MAX_BYTES = 2 * 1024 * 1024;

/**
 * The accepted sources of a job's last iteration, kept where the job record lives so that a retry
 * (another worker) starts from them. They are model or sandbox output, so they are parsed with this
 * whenever they are read back: bounded, paths checked like any generated file.
 */
export const StoredSourcesSchema = z
  .object({
    iteration: z.number().int().min(1).max(1_000),
    files: z
      .array(z.object({ path: z.string().min(1).max(300), content: z.string() }))
      .max(STORED_SOURCES_MAX_FILES),
  })
  .refine((s) => s.files.reduce((n, f) => n + Buffer.byteLength(f.content) + f.path.length, 0) <= STORED_SOURCES_MAX_BYTES, {
    message: `The stored sources are over ${STORED_SOURCES_MAX_BYTES} bytes`,
  });
export type StoredSources = z.infer<typeof StoredSourcesSchema>;

/** Where a job's accepted sources are kept between attempts (the fleet's job table); absent in-process. */
export interface JobSourceStore {
  /** The sources an earlier attempt kept, parsed with StoredSourcesSchema; undefined when none or invalid. */
  load(jobId: string): Promise<StoredSources | undefined>;
  save(jobId: string, sources: StoredSources): Promise<void>;
}

/** Parses stored sources; anything malformed, over the bounds or with a refused path is no sources at all. */
export function parseStoredSources(raw: unknown): StoredSources | undefined {
  const parsed = StoredSourcesSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  try {
    checkGeneratedPaths(parsed.data.files);
  } catch {
    return undefined;
  }
  return parsed.data;
}

/**
 * The job's generator, keeping each accepted answer (merged over the earlier ones, as the pipeline
 * accepts them) in `store`, and, on a retry, starting from what an earlier attempt kept: its first
 * generation is shown those files as the current ones, and its answer is taken over them.
 */
export function resumableGenerator(
  inner: PluginGenerator,
  jobId: string,
  store: JobSourceStore,
  resumed: StoredSources | undefined,
  log: (line: string) => Promise<void>,
): PluginGenerator {
  const accepted = new Map<string, string>((resumed?.files ?? []).map((f) => [f.path, f.content]));
  const offset = resumed?.iteration ?? 0;
  const listed = (): GeneratedFile[] => [...accepted].map(([path, content]) => ({ path, content }));
  return {
    kind: inner.kind,
    ...(inner.deterministic !== undefined ? { deterministic: inner.deterministic } : {}),
    async generate(request) {
      const first = request.iteration === 1 && resumed !== undefined;
      if (first) await log(`Resumed from the accepted sources of iteration ${resumed.iteration} (${resumed.files.length} file(s)) kept by an earlier attempt`);
      const result = await inner.generate(first ? { ...request, currentFiles: listed() } : request);
      const next = new Map(accepted);
      for (const file of result.files) next.set(file.path, file.content);
      const files = [...next].map(([path, content]) => ({ path, content }));
      // Only what the pipeline will accept is kept: a refused answer is refused there too.
      checkGeneratedPaths(files);
      accepted.clear();
      for (const [path, content] of next) accepted.set(path, content);
      const kept = { iteration: offset + request.iteration, files };
      if (StoredSourcesSchema.safeParse(kept).success) await store.save(jobId, kept);
      return first ? { ...result, files } : result;
    },
  };
}
