import { codedError } from '../../errors.js';
import { ISOLATION_CHOICES, type IsolationChoice } from '../../management/state/plugin-record.js';
import type { LifecycleVerb } from '../backend.js';
import { withApproval, type ApproveFlags } from '../approve-prompt.js';
import { isolateConfirmed, type ConfirmOptions } from '../confirm-in-process.js';
import { pluginLine, pluginTable, trustLine } from '../format.js';
import { note, printResult } from '../output.js';
import type { CommandGroup } from './command-kit.js';

const LIFECYCLE: Record<LifecycleVerb, string> = {
  activate: 'load an installed plugin into the live runtime',
  deactivate: 'take a plugin out of the runtime (its code stays in memory, its settings stay)',
  unload: 'deactivate a plugin and forget its module',
};

/** list, install, activate, deactivate, unload, uninstall: installed plugins and their lifecycle. */
export const pluginCommands: CommandGroup = (program, run) => {
  program
    .command('list')
    .description('installed plugins with their status and missing settings')
    .action(() =>
      run(async (ctx) => {
        const plugins = await (await ctx.backend()).list();
        printResult(ctx.out, plugins, () => pluginTable(plugins));
      }),
    );

  program
    .command('install')
    .description('install a plugin: a registry name, name@range, github:owner/repo#ref, fleet:name[@version] (a build stored in the fleet database), a folder or a .tgz')
    .argument('<source>')
    .option('--no-activate', 'only install; do not load it')
    .option('--yes', 'approve what an isolated plugin asks for without asking (scripts)')
    .action((source: string, opts: { activate: boolean } & ApproveFlags) =>
      run(async (ctx) => {
        const b = await ctx.backend();
        // A person at a terminal waits up to npm's time; a pipe gets only the answer or the error.
        if (process.stderr.isTTY) note(ctx.out, `Installing ${source}…`);
        const view = await withApproval(b, opts, ctx.signal, () => b.install({ source, activate: opts.activate }));
        printResult(ctx.out, view, () => `Installed ${pluginLine(view)} (trust: ${trustLine(view)})`);
      }),
    );

  for (const verb of Object.keys(LIFECYCLE) as LifecycleVerb[]) {
    const command = program.command(verb).description(LIFECYCLE[verb]).argument('<plugin>');
    if (verb === 'activate') command.option('--yes', 'approve what an isolated plugin asks for without asking (scripts)');
    command.action((plugin: string, flags: ApproveFlags) =>
      run(async (ctx) => {
        const b = await ctx.backend();
        const view = await withApproval(b, verb === 'activate' ? flags : {}, ctx.signal, () => b[verb]({ plugin }));
        printResult(ctx.out, view, () => pluginLine(view));
      }),
    );
  }

  program
    .command('isolate')
    .description('choose where a plugin runs: isolated (its own sandboxed process), in-process, or default')
    .argument('<plugin>')
    .argument('<mode>', 'isolated | in-process | default')
    .option('--code <code>', "moving in-process: the one-time code the agent printed on its terminal")
    .option('--yes', "moving in-process: confirm the plugin's name without typing it; isolating: approve what it asks for")
    .action((plugin: string, mode: string, opts: ConfirmOptions) =>
      run(async (ctx) => {
        if (!ISOLATION_CHOICES.includes(mode as IsolationChoice)) {
          throw codedError('INVALID_INPUT', { input: `The mode "${mode}"`, problem: 'is not one of isolated, in-process or default.' });
        }
        const b = await ctx.backend();
        // Moving an active plugin into isolation reloads it there, which asks for its approval first.
        const view = await withApproval(b, opts, ctx.signal, () => isolateConfirmed(b, { plugin, mode: mode as IsolationChoice }, opts, ctx.signal));
        printResult(ctx.out, view, () => `${pluginLine(view)} (${view.isolation})`);
      }),
    );

  program
    .command('uninstall')
    .description('unload a plugin and remove its files and settings')
    .argument('<plugin>')
    .action((plugin: string) =>
      run(async (ctx) => {
        const result = await (await ctx.backend()).uninstall({ plugin });
        printResult(ctx.out, result, () => `Uninstalled ${result.packageName}.`);
      }),
    );
};
