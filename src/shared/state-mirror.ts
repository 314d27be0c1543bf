import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * The headless CLI keeps its state in PGLite (one process per database folder, seconds to open). When
 * its runtime has stopped cleanly it writes what `list`, `jobs` and `status` show into one file,
 * <dataDir>/cli-state/closed.json (src/cli/fast/closed-snapshot.ts); a runtime that opens the
 * database again, the CLI's or an agent's, removes that file first, so it is read only while it is
 * what the database holds.
 */

export const CLOSED_SNAPSHOT = join('cli-state', 'closed.json');

/** Before a runtime may change the state: the closed snapshot is no longer the database. */
export async function forgetClosedSnapshot(dataDir: string): Promise<void> {
  await rm(join(dataDir, CLOSED_SNAPSHOT), { force: true });
}
