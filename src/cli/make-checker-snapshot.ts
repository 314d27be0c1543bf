import { resolve } from 'node:path';
import { childNode } from '../shared/child-node.js';
import { CHECKER_SNAPSHOT_DIR } from '../creation/steps/checker-snapshot.js';
import { makeCheckerSnapshot } from '../creation/steps/make-checker-snapshot.js';

/**
 * `npm run build`'s step that makes the checker's startup snapshot (make-checker-snapshot.ts in
 * creation/steps) with the Node the checker will run on, so a job's first build starts with
 * TypeScript loaded and the libraries parsed. The snapshot only speeds the checker up: when this
 * Node cannot make one, the build says why and goes on. Usage: `node dist/cli/make-checker-snapshot.js [folder]`.
 */
async function main(): Promise<void> {
  const node = await childNode();
  const blob = await makeCheckerSnapshot(node, { dir: resolve(process.argv[2] ?? CHECKER_SNAPSHOT_DIR) });
  process.stdout.write(`The checker's startup snapshot for Node ${node.version}: ${blob}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`No startup snapshot for the checker (jobs start it the slower way): ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(0);
  },
);
