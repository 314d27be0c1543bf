#!/usr/bin/env node
// Quiet the runtime's logger before anything imports @elizaos/core (it reads LOG_LEVEL at load).
process.env['LOG_LEVEL'] ??= process.argv.includes('--verbose') ? 'info' : 'error';
const { runCli } = await import('./program.js');
await runCli(process.argv);
// Registered services leave timers behind (facts file): leave promptly once the command is done.
process.exit(process.exitCode ?? 0);
export {};
