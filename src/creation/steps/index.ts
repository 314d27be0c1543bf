export type { Diagnostic } from './diagnostics.js';
export { runBuild, runLint, runTests, type StepContext, type StepResult } from './run-step.js';
export { parseTscOutput } from './parse-tsc.js';
export { parseEslintJson } from './parse-eslint.js';
export { parseVitestJson, type TestCounts } from './parse-vitest.js';
export { CheckWorker, WORKER_DIR } from './check-worker.js';
export { CHECKER_SNAPSHOT_DIR, usableCheckerSnapshot, WORKER_NODE_FLAGS } from './checker-snapshot.js';
