import type { PluginDynamicConfig } from '../../config.js';
import { JOB_LIST_LIMIT, type JobRecord } from '../../creation/jobs/job-record.js';
import { TERMINAL_JOB_STATUSES } from '../../creation/jobs/job-status.js';
import type { ClosedSnapshot } from './closed-snapshot.js';

const DAY_MS = 24 * 3_600_000;

/**
 * Every job newest first, from the closed snapshot, when a runtime started now would show the same:
 * its start (PluginCreationService.restore) fails or re-queues a job that was queued or running,
 * and removes finished ones older than the retention days. Undefined when it would do either.
 */
export function fastJobs(snapshot: ClosedSnapshot, config: Pick<PluginDynamicConfig, 'retentionDays'>, now = Date.now()): JobRecord[] | undefined {
  const cutoff = now - config.retentionDays * DAY_MS;
  const settled = snapshot.jobs.every((j) => TERMINAL_JOB_STATUSES.includes(j.status) && Date.parse(j.updatedAt) >= cutoff);
  if (!settled) return undefined;
  return [...snapshot.jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** What the `jobs` operation answers: the newest JOB_LIST_LIMIT. */
export function listedJobs(newestFirst: readonly JobRecord[]): JobRecord[] {
  return newestFirst.slice(0, JOB_LIST_LIMIT);
}
