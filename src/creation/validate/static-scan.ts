/*
 * The static scan itself lives beside its process (worker/static-scan.mjs) and runs there
 * (scan-worker.ts). Importing this file loads the TypeScript compiler into the importer: the agent
 * never does; tests and the template's gates may.
 */
export { scanSource, type Finding } from '../../../worker/static-scan.mjs';
