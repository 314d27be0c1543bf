import { answerText } from '../format.js';
import { printResult } from '../output.js';
import type { CommandGroup } from './command-kit.js';

/** run: try one action of an installed plugin with a message, without a model (headless or --agent-url). */
export const runCommands: CommandGroup = (program, run) => {
  program
    .command('run')
    .description('run one action of an installed, active plugin with a message and print what it answers (no model needed)')
    .argument('<ACTION>', 'the action, e.g. ADD_NOTE (see `plugin-dynamic list`)')
    .argument('[message]', 'the message the action reads, e.g. "add buy milk" or JSON such as \'{"text":"buy milk"}\'', '')
    .option('--plugin <name>', 'the plugin the action belongs to, when several have it')
    .action((action: string, message: string, opts: { plugin?: string }) =>
      run(async (ctx) => {
        const trial = await (await ctx.backend()).runAction({ action, message, ...(opts.plugin ? { plugin: opts.plugin } : {}) });
        printResult(ctx.out, trial, () => [`Plugin:      ${trial.plugin}`, answerText(trial)].join('\n'));
        if (!trial.success) process.exitCode = 1;
      }),
    );
};
