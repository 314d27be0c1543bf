// The static scan as a process of its own, so the agent never loads the TypeScript compiler. It is
// started by the agent (src/creation/validate/scan-worker.ts) in its own sandbox: no network, no
// writable folder, this folder and TypeScript's package read-only. It reads nothing of a workspace:
// one request per line on stdin ({ id, files } to scan, or { id, command: 'emit', files,
// compilerOptions } for the shipped build, see ship-emit.mjs), one answer per line on stdout; see
// scan-worker-protocol.d.mts. TypeScript is imported at start, so a warm scanner answers its first
// request without paying that import.
import { createInterface } from 'node:readline';
import { emitShipped } from './ship-emit.mjs';
import { scanSource } from './static-scan.mjs';

/** @typedef {import('./scan-worker-protocol.d.mts').ScanRequest} ScanRequest */
/** @typedef {import('./scan-worker-protocol.d.mts').EmitRequest} EmitRequest */
/** @typedef {import('./scan-worker-protocol.d.mts').ScanAnswer} ScanAnswer */
/** @typedef {import('./scan-worker-protocol.d.mts').EmitAnswer} EmitAnswer */

/** The most findings one answer holds (MAX_SCAN_FINDINGS on the agent's side): enough to act on, and bounded. */
const MAX_FINDINGS = 1_000;

/** @param {ScanAnswer | EmitAnswer} answer */
const answer = (answer) => process.stdout.write(`${JSON.stringify(answer)}\n`);

/** @param {unknown} files @returns {files is { path: string, content: string }[]} */
const isFiles = (files) =>
  Array.isArray(files) && files.every((f) => typeof f === 'object' && f !== null && typeof f.path === 'string' && typeof f.content === 'string');

/** @param {unknown} value @returns {value is ScanRequest | EmitRequest} */
function isRequest(value) {
  if (typeof value !== 'object' || value === null) return false;
  const { id, files, command, compilerOptions } = /** @type {{ id?: unknown; files?: unknown; command?: unknown; compilerOptions?: unknown }} */ (value);
  if (!Number.isSafeInteger(id) || !isFiles(files)) return false;
  if (command === undefined) return true;
  return command === 'emit' && typeof compilerOptions === 'object' && compilerOptions !== null && !Array.isArray(compilerOptions);
}

/** @param {ScanRequest | EmitRequest} request @returns {ScanAnswer | EmitAnswer} */
function run(request) {
  if (!('command' in request)) return { id: request.id, findings: scanSource(request.files).slice(0, MAX_FINDINGS) };
  return { id: request.id, ...emitShipped(request.files, request.compilerOptions) };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  /** @type {unknown} */
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    return;
  }
  if (!isRequest(request)) {
    const id = /** @type {{ id?: unknown }} */ (request ?? {}).id;
    if (Number.isSafeInteger(id)) answer({ id: /** @type {number} */ (id), error: 'the request is not { id, files: [{ path, content }] } or an emit request' });
    return;
  }
  try {
    answer(run(request));
  } catch (error) {
    answer({ id: request.id, error: String((error instanceof Error && error.message) || error).slice(0, 1_000) });
  }
});
// The agent closing its end is the end of the scanner.
lines.on('close', () => process.exit(0));
