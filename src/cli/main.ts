#!/usr/bin/env node
// Quiet the runtime's logger before anything imports @elizaos/core (it reads LOG_LEVEL at load).
process.env['LOG_LEVEL'] ??= process.argv.includes('--verbose') ? 'info' : 'error';
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
