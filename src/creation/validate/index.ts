// Not the scan itself (static-scan.js): importing it loads the TypeScript compiler, which the agent never does.
export type { Finding } from './static-scan.js';
export { validatePlugin, validationProblems, type ValidationReport } from './validate-plugin.js';
export { ScanWorker, scanSandboxPolicy, type ScanWorkerOptions } from './scan-worker.js';
