import { askApproval, whoAmI, type ApproveFlags } from '../approve-prompt.js';
import { pluginLine } from '../format.js';
import { note, printResult } from '../output.js';
import type { CommandGroup } from './command-kit.js';

/** approve: show what an isolated plugin asks for, ask, and store the approval (bound to its digest). */
export const approveCommands: CommandGroup = (program, run) => {
  program
    .command('approve')
    .description('show what an isolated plugin asks for and approve it (bound to its installed package digest)')
    .argument('<plugin>')
    .option('--activate', 'activate it once approved')
    .option('--yes', 'approve without asking (scripts)')
    .action((plugin: string, flags: ApproveFlags & { activate?: boolean }) =>
      run(async (ctx) => {
        const b = await ctx.backend();
        const state = await b.approval({ plugin });
        if (!state.request) {
          const a = state.approval;
          const text = a ? `${a.packageName}@${a.version} is approved already (${a.channel}${a.by ? ` by ${a.by}` : ''}, ${a.approvedAt}).` : `${plugin} has nothing to approve.`;
          if (!flags.activate) {
            printResult(ctx.out, state, () => text);
            return;
          }
          note(ctx.out, text);
        } else if (!(await askApproval(state.request, flags, ctx.signal))) {
          printResult(ctx.out, state, () => `Not approved: ${state.request?.packageName ?? plugin} stays as it is.`);
          process.exitCode = 1;
          return;
        }
        const by = whoAmI();
        const answer = await b.approve({ plugin, activate: flags.activate === true, channel: 'cli', ...(state.request ? { digest: state.request.digest } : {}), ...(by ? { by } : {}) });
        printResult(ctx.out, answer, () =>
          answer.plugin ? `Approved ${answer.approval.packageName}@${answer.approval.version}: ${pluginLine(answer.plugin)}` : `Approved ${answer.approval.packageName}@${answer.approval.version}.`,
        );
      }),
    );
};
