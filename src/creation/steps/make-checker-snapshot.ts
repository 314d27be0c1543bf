import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codedError } from '../../errors.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import type { ChildNode } from '../../shared/child-node.js';
import { runProcess, scrubbedEnv } from '../../shared/process-runner.js';
import { ensureToolchain, linkToolchain } from '../toolchain/index.js';
import { WORKSPACE_TSCONFIG } from '../workspace/scaffold-workspace.js';
import { CHECKER_SNAPSHOT_DIR, SNAPSHOT_BLOB, SNAPSHOT_BUILDER, SNAPSHOT_MANIFEST, snapshotKeyFor, WORKER_NODE_FLAGS } from './checker-snapshot.js';

/**
 * Makes the checker's snapshot in `dir` with `node` (worker/checker-snapshot.cjs, about five
 * seconds): in a scratch workspace with the template's tsconfig.json and the toolchain linked, as a
 * job's workspace is. The snapshot and its manifest are replaced so that a reader finds either the
 * old pair, none, or the new pair. Throws TOOLCHAIN_UNAVAILABLE, saying why, when Node cannot make it.
 */
export async function makeCheckerSnapshot(node: ChildNode, opts: { dir?: string; signal?: AbortSignal } = {}): Promise<string> {
  const dir = opts.dir ?? CHECKER_SNAPSHOT_DIR;
  const key = snapshotKeyFor(node);
  const scratch = join(dir, `.making-${randomBytes(5).toString('hex')}`);
  try {
    const workspace = join(scratch, 'workspace');
    await mkdir(workspace, { recursive: true });
    await writeFile(join(workspace, 'tsconfig.json'), JSON.stringify(WORKSPACE_TSCONFIG));
    await writeFile(join(workspace, 'package.json'), JSON.stringify({ name: 'checker-snapshot', private: true, type: 'module' }));
    await linkToolchain(await ensureToolchain(scratch, opts.signal ? { signal: opts.signal } : {}), workspace);
    const made = join(scratch, SNAPSHOT_BLOB);
    const run = await runProcess({
      command: node.path,
      args: [...WORKER_NODE_FLAGS, '--snapshot-blob', made, '--build-snapshot', SNAPSHOT_BUILDER],
      cwd: workspace,
      env: scrubbedEnv(scratch),
      timeoutMs: 180_000,
      maxOutputBytes: 262_144,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (!run.ok || !existsSync(made)) {
      const why = run.timedOut ? 'it took over 180 s' : (run.stderr.trim().split('\n').pop() ?? `exit code ${run.exitCode}`);
      throw codedError('TOOLCHAIN_UNAVAILABLE', { problem: `the checker's startup snapshot could not be made (${why.slice(0, 400)})` });
    }
    await rm(join(dir, SNAPSHOT_MANIFEST), { force: true });
    await rename(made, join(dir, SNAPSHOT_BLOB));
    await writeFileAtomic(join(dir, SNAPSHOT_MANIFEST), `${JSON.stringify(key)}\n`);
    return join(dir, SNAPSHOT_BLOB);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
