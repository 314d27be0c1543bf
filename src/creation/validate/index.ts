export { scanSource, type Finding } from './static-scan.js';
export { validatePlugin, validationProblems, type ValidationReport } from './validate-plugin.js';
export { ScanWorker, scanSandboxPolicy, type ScanWorkerOptions } from './scan-worker.js';
