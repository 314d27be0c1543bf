import { Command, CommanderError } from 'commander';
import { PluginDynamicError } from '../errors.js';
import { configureCommands } from './commands/configure.js';
import { createCommands } from './commands/create.js';
import type { CommandGroup, Run } from './commands/command-kit.js';
import { doctorCommands } from './commands/doctor.js';
import { jobCommands } from './commands/jobs.js';
import { pluginCommands } from './commands/plugins.js';
import { registryCommands } from './commands/registry.js';
import { runCommands } from './commands/run.js';
import { workerCommands } from './commands/worker.js';
import { runCommand, type GlobalOptions } from './context.js';
import { printError } from './output.js';
import { packageVersion } from './package-root.js';

const GROUPS: CommandGroup[] = [registryCommands, pluginCommands, configureCommands, createCommands, runCommands, jobCommands, doctorCommands, workerCommands];

/**
 * The commander program. Usage errors are thrown (exitOverride) instead of printed by commander,
 * so they take the same one-line `error CODE: message` form (or JSON envelope) as every other error.
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('plugin-dynamic')
    .description('Find, install, configure, load, unload and create ElizaOS plugins, headless or in a running agent.')
    .version(packageVersion(), '-V, --version')
    .option('--data-dir <dir>', 'headless runtime data folder (default $PLUGIN_DYNAMIC_DATA_DIR or ./.eliza/plugin-dynamic)')
    .option('--agent-url <url>', 'drive a running agent instead: its server (http://127.0.0.1:3000), agent or plugin address')
    .option('--agent <name|id>', 'which agent, when the server at --agent-url runs several')
    .option('--token <token>', 'token for changes through a running agent (default $PLUGIN_DYNAMIC_API_TOKEN)')
    .option('--json', 'print the { success, data } / { success: false, error } envelope for scripts')
    .option('--verbose', 'show runtime logs and stack traces')
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .addHelpText('after', '\nThe main job, no API key needed:\n  plugin-dynamic create examples/notes.json --run-action');
  const run: Run = (body) => runCommand(program.opts<GlobalOptions>(), body);
  for (const group of GROUPS) group(program, run);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end with exit code 0 through the same path.
    if (error.exitCode === 0 || error.code === 'commander.help' || error.code === 'commander.helpDisplayed') {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error.message.replace(/^error:\s*/, '');
    // Commander wrote this message already (its own usage errors): it is passed on as it is, not
    // rebuilt from a template, so it keeps the wording Commander's documentation and users know.
    printError(
      { json: argv.includes('--json'), verbose: argv.includes('--verbose') },
      new PluginDynamicError('INVALID_INPUT', `${message} (see plugin-dynamic --help)`),
    );
  }
}
