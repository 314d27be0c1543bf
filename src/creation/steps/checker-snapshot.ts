import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ChildNode } from '../../shared/child-node.js';
import { agentPackageDir } from '../../shared/npm/agent-packages.js';
import { PACKAGE_ROOT, WORKER_DIR } from '../../shared/package-paths.js';

/**
 * The V8 flags every warm worker runs with. A startup snapshot loads only in a process started
 * with the flags it was made with (Node refuses it and exits otherwise), so they are one constant.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=1536'];

/** Where `npm run build` leaves the checker's snapshot (make-checker-snapshot.ts); a job's sandbox reads it there. */
export const CHECKER_SNAPSHOT_DIR = join(PACKAGE_ROOT, 'dist', 'checker-snapshot');

/** The script that makes the snapshot, and the names of the snapshot and its manifest in their folder. */
export const SNAPSHOT_BUILDER = join(WORKER_DIR, 'checker-snapshot.cjs');
export const SNAPSHOT_BLOB = 'checker.blob';
export const SNAPSHOT_MANIFEST = 'checker.json';

/** What a snapshot was made for; it is used only while all of it still holds. */
const SnapshotKeySchema = z
  .object({
    /** The Node that runs the checker, its file, and the flags: the snapshot holds that V8's heap. */
    node: z.string(),
    nodePath: z.string(),
    nodeFile: z.string(),
    flags: z.array(z.string()),
    /** The TypeScript it loaded (its path and the sha256 of its content). */
    typescript: z.string(),
    /** The script that made it. */
    builder: z.string(),
  })
  .strict();
export type SnapshotKey = z.infer<typeof SnapshotKeySchema>;

function fileStamp(path: string): string {
  const info = statSync(path);
  return `${info.size}:${info.mtimeMs}`;
}

/** sha256 of files already hashed, by path, size and modification time (TypeScript's 9 MB are read once per process). */
const contentHashes = new Map<string, string>();

/** A file's content as a sha256: `npm ci` writes the same TypeScript again with a new modification time. */
function contentHash(path: string): string {
  const key = `${path}\0${fileStamp(path)}`;
  let hash = contentHashes.get(key);
  if (hash === undefined) {
    hash = createHash('sha256').update(readFileSync(path)).digest('hex');
    contentHashes.set(key, hash);
  }
  return hash;
}

/** The key a snapshot made now, with `node`, would carry. */
export function snapshotKeyFor(node: ChildNode): SnapshotKey {
  const typescript = realpathSync(join(agentPackageDir('typescript'), 'lib', 'typescript.js'));
  return {
    node: node.version,
    nodePath: node.path,
    nodeFile: fileStamp(node.path),
    flags: [...WORKER_NODE_FLAGS],
    typescript: `${typescript}:${contentHash(typescript)}`,
    builder: createHash('sha256').update(readFileSync(SNAPSHOT_BUILDER)).digest('hex'),
  };
}

const sameKey = (a: SnapshotKey, b: SnapshotKey): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The checker's startup snapshot in `dir`, when one was made for this Node, these flags and this
 * TypeScript; undefined otherwise (none made, or made for something else), and the checker starts
 * as it would without one. Nothing here throws: a snapshot is only a faster start.
 */
export function usableCheckerSnapshot(node: ChildNode, dir: string = CHECKER_SNAPSHOT_DIR): string | undefined {
  try {
    const blob = join(dir, SNAPSHOT_BLOB);
    if (!existsSync(blob)) return undefined;
    const made = SnapshotKeySchema.safeParse(JSON.parse(readFileSync(join(dir, SNAPSHOT_MANIFEST), 'utf8')));
    return made.success && sameKey(made.data, snapshotKeyFor(node)) ? blob : undefined;
  } catch {
    return undefined;
  }
}
