import cliProgress from 'cli-progress';
import type { JobRecord } from '../creation/jobs/job-record.js';
import { RERUN_PREFIX } from '../creation/jobs/rerun-line.js';

export interface ProgressView {
  /** Shows the job as it is now; safe to call with the same record twice. */
  update(job: JobRecord): void;
  stop(): void;
}

export interface ProgressOptions {
  json: boolean;
  /** @default process.stderr */
  stream?: NodeJS.WriteStream;
}

/**
 * Shows a creation job while it runs, from whatever feeds it (job events in a headless runtime,
 * polling against an agent). On a terminal: a live cli-progress bar with phase, iteration and
 * percentage, the job's log lines printed above it. Elsewhere (pipes, CI logs): one plain line
 * per log entry and per phase change. With --json: nothing, stdout stays pure data.
 */
export function createProgressView(opts: ProgressOptions): ProgressView {
  const stream = opts.stream ?? process.stderr;
  if (opts.json) return { update: () => undefined, stop: () => undefined };
  const printed = new Set<string>();
  const freshLog = (job: JobRecord): string[] =>
    job.log
      .filter((entry) => {
        const key = `${entry.at}|${entry.message}`;
        // `create` says this one itself, on the line under "Creating ...": once is enough.
        if (printed.has(key) || entry.message.startsWith(RERUN_PREFIX)) return false;
        printed.add(key);
        return true;
      })
      .map((entry) => `  ${entry.message}`);
  const step = (job: JobRecord): string =>
    job.phase && job.status === 'running' ? `iteration ${job.iteration}/${job.maxIterations} · ${job.phase}` : job.status;

  if (!stream.isTTY) {
    let lastStep = '';
    return {
      update(job) {
        for (const line of freshLog(job)) stream.write(`${line}\n`);
        const now = step(job);
        if (job.status === 'running' && job.phase && now !== lastStep) {
          lastStep = now;
          stream.write(`[${String(job.progress).padStart(3)}%] ${now}\n`);
        }
      },
      stop: () => undefined,
    };
  }

  // cli-progress redraws one line in place and keeps lines logged above it; it only needs a TTY.
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: ' {bar} {percentage}% | {step} | {duration_formatted}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(100, 0, { step: 'queued' });
  let stopped = false;
  return {
    update(job) {
      if (stopped) return;
      const lines = freshLog(job);
      if (lines.length) multi.log(`${lines.join('\n')}\n`);
      bar.update(job.progress, { step: step(job) });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
