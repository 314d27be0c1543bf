// A checker started from its startup snapshot (checker-snapshot.cjs) begins here: loaded after the
// snapshot was read, so it can import the worker, which a function compiled into the snapshot cannot.
'use strict';
import('./check-worker.mjs').catch((error) => {
  process.stderr.write(`${error instanceof Error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
