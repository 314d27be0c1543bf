// A long-lived Vitest for one generated workspace: Vitest and Vite imported once and kept, so a
// repair iteration's test run pays neither Node's start nor their loading again. Each run is a
// fresh Vitest over the workspace as it is now (no module graph is kept between runs).
// Protocol: one JSON request per stdin line ({ id, command: 'test', files? }), one JSON answer per
// stdout line ({ id, ok } or { id, error }). The report goes to .vitest-report/report.json, where
// the agent reads it as it reads the one-off run's. The plugin's tests run in this process's
// children; nothing this process answers is trusted more than the tests themselves.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const workspace = process.cwd();
const require = createRequire(join(workspace, 'package.json'));
const vitestDir = join(require.resolve('vitest/package.json'), '..');
/** @type {{ startVitest: (mode: string, filters: string[], options: Record<string, unknown>) => Promise<{ close(): Promise<void> }> }} */
const { startVitest } = await import(pathToFileURL(join(vitestDir, 'dist', 'node.js')).href);

// Answers are written straight to fd 1; everything else that would reach stdout (Vitest's own
// lines, the test processes' output it forwards) is dropped, so it never mixes into an answer line.
/** @param {unknown} answer */
const answer = (answer) => writeSync(1, `${JSON.stringify(answer)}\n`);
process.stdout.write = () => true;

/** @param {string[]} files */
async function test(files) {
  process.exitCode = 0;
  const vitest = await startVitest('test', files, {
    config: 'vitest.config.ts',
    // The runner config loader writes no bundle into node_modules (read-only in the sandbox).
    configLoader: 'runner',
    run: true,
    watch: false,
    reporters: [['json', { outputFile: '.vitest-report/report.json' }]],
  });
  await vitest.close();
  // Vitest marks a failed test, a failed file or an unhandled error on the exit code, as its command does.
  const ok = !process.exitCode;
  process.exitCode = 0;
  return { ok };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  /** @type {{ id?: number, command?: string, files?: unknown }} */
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    continue;
  }
  try {
    if (request.command !== 'test') throw new Error(`unknown command ${request.command}`);
    const files = Array.isArray(request.files) ? request.files.filter((f) => typeof f === 'string') : [];
    answer({ id: request.id, ...(await test(files)) });
  } catch (error) {
    const text = error instanceof Error && error.stack ? error.stack : String(error);
    answer({ id: request.id, error: text.slice(0, 4000) });
  }
}
