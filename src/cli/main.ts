#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
// Quiet the runtime's logger before anything imports @elizaos/core (it reads LOG_LEVEL at load).
process.env['LOG_LEVEL'] ??= process.argv.includes('--verbose') ? 'info' : 'error';
// stdout carries the command's answer only (JSON with --json): whatever a library prints with
// console.log (dotenv's notice about the project's .env file, for one) goes to stderr.
for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error.bind(console);
// PGLite is a large WebAssembly module. In a process that lives for one command, V8's optimizing
// tier only adds work: compiling it in the background took about 170 MB at the peak and a core for
// most of a second, for queries the baseline compiler runs fast enough (`npm run bench -- cli`).
// Set before anything compiles it; the CLI's own process only, never an agent's.
setFlagsFromString('--liftoff-only');
const { runCli } = await import('./program.js');
const { printError } = await import('./output.js');
try {
  await runCli(process.argv);
} catch (error) {
  printError({ json: process.argv.includes('--json'), verbose: process.argv.includes('--verbose') }, error);
}
// Registered services leave a 30 s timer behind (facts file): leave as soon as the command is done.
process.exit(process.exitCode ?? 0);
export {};
