import cliProgress from 'cli-progress';
import type { JobRecord } from '../creation/jobs/job-record.js';
import { TERMINAL_JOB_STATUSES } from '../creation/jobs/job-status.js';
import type { PluginCreationService } from '../creation/plugin-creation-service.js';

/**
 * Follows a job until it ends: a live bar (phase, iteration, percentage) on a terminal, plain
 * lines otherwise, nothing with --json. cli-progress is used because it redraws one line cleanly
 * and degrades to nothing on a non-TTY stream without extra code.
 */
export async function followJob(service: PluginCreationService, id: string, opts: { json: boolean }): Promise<JobRecord> {
  const tty = process.stderr.isTTY && !opts.json;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: ' {bar} {percentage}% | iteration {iteration} | {phase} | {last}', stream: process.stderr, hideCursor: true, barsize: 24 },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let printed = 0;
  const show = (job: JobRecord): void => {
    if (opts.json) return;
    if (bar) {
      bar.update(job.progress, { iteration: job.iteration, phase: job.phase ?? job.status, last: job.log.at(-1)?.message.slice(0, 60) ?? '' });
      return;
    }
    for (const line of job.log.slice(printed)) process.stderr.write(`  ${line.message}\n`);
    printed = job.log.length;
  };
  bar?.start(100, 0, { iteration: 0, phase: 'queued', last: '' });
  const off = service.onJobChange((job) => {
    if (job.id === id) show(job);
  });
  try {
    const current = service.getJob(id);
    show(current);
    const done = TERMINAL_JOB_STATUSES.includes(current.status) ? current : await service.waitForJob(id);
    show(done);
    return done;
  } finally {
    off();
    bar?.stop();
  }
}
