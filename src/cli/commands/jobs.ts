import { TERMINAL_JOB_STATUSES } from '../../creation/jobs/job-status.js';
import { followJob } from '../follow-job.js';
import { jobStatusText, jobSummaryText, jobsText } from '../format.js';
import { printResult } from '../output.js';
import { intBetween, type CommandGroup } from './command-kit.js';

/** jobs, status, cancel: creation jobs, newest first. */
export const jobCommands: CommandGroup = (program, run) => {
  program
    .command('jobs')
    .description('creation jobs, newest first')
    .option('--limit <n>', 'how many (1-200)', intBetween(1, 200), 20)
    .action((opts: { limit: number }) =>
      run(async (ctx) => {
        const jobs = (await (await ctx.backend()).jobs()).slice(0, opts.limit);
        printResult(ctx.out, jobs, () => jobsText(jobs));
      }),
    );

  program
    .command('status')
    .description("a creation job's status, phase, iteration, tests, validation and recent log")
    .argument('<job>', 'job id, or its first 8 characters')
    .option('--watch', 'follow a running job until it ends')
    .action((id: string, opts: { watch?: boolean }) =>
      run(async (ctx) => {
        const b = await ctx.backend();
        let job = await b.job({ id });
        if (opts.watch && !TERMINAL_JOB_STATUSES.includes(job.status)) {
          job = await followJob(ctx, b, job.id);
          printResult(ctx.out, job, () => jobSummaryText(job));
          return;
        }
        printResult(ctx.out, job, () => jobStatusText(job));
      }),
    );

  program
    .command('cancel')
    .description('cancel a queued or running creation job (its running tool is killed)')
    .argument('<job>', 'job id, or its first 8 characters')
    .action((id: string) =>
      run(async (ctx) => {
        const job = await (await ctx.backend()).cancel({ id });
        printResult(ctx.out, job, () => `Job ${job.id.slice(0, 8)} (${job.pluginName}) is ${job.status}.`);
      }),
    );
};
