import { join } from 'node:path';
import { z } from 'zod';
import { JobRecordSchema, type JobRecord } from '../../creation/jobs/job-record.js';
import { PluginViewSchema, type PluginView } from '../../management/plugin-view.js';
import { PluginRecordSchema, type PluginRecord } from '../../management/state/plugin-record.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { safeReadFile } from '../../shared/safe-fs/index.js';
import { CLOSED_SNAPSHOT } from '../../shared/state-mirror.js';

const SNAPSHOT_VERSION = 1;
/** Far above what the state grows to (jobs are pruned after their retention days); larger is not read. */
const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

/**
 * What the headless runtime held when it stopped cleanly (shared/state-mirror.ts says when it is
 * trusted): every installed plugin's record and the view the service gave of it, every job newest
 * first, and the raw values of the settings the next runtime inherits from this one's agent record
 * (ElizaOS merges a stored agent's settings under the character's). No setting value of a plugin.
 */
export const ClosedSnapshotSchema = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  closedAt: z.string(),
  inherited: z.record(z.string(), z.string()),
  plugins: z.array(z.object({ record: PluginRecordSchema, view: PluginViewSchema })),
  jobs: z.array(JobRecordSchema),
});
export type ClosedSnapshot = z.output<typeof ClosedSnapshotSchema>;

export interface SnapshotSource {
  inherited: Record<string, string>;
  plugins: { record: PluginRecord; view: PluginView }[];
  jobs: JobRecord[];
}

export async function writeClosedSnapshot(dataDir: string, source: SnapshotSource): Promise<void> {
  const snapshot = { version: SNAPSHOT_VERSION, closedAt: new Date().toISOString(), ...source };
  await writeFileAtomic(join(dataDir, CLOSED_SNAPSHOT), JSON.stringify(snapshot), { mode: 0o600 });
}

/**
 * The snapshot, Zod-checked; undefined when there is none (a runtime opened the database since, or
 * never closed cleanly) or it is not one this version wrote, so the caller starts the runtime instead.
 */
export async function readClosedSnapshot(dataDir: string): Promise<ClosedSnapshot | undefined> {
  let text: string | undefined;
  try {
    text = await safeReadFile(dataDir, CLOSED_SNAPSHOT, { maxBytes: MAX_SNAPSHOT_BYTES });
  } catch {
    return undefined; // a link, not a file, or too large: the runtime reads the database instead
  }
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ClosedSnapshotSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
