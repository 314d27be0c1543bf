import { EventEmitter } from 'node:events';
import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../../errors.js';
import { RecordStore, type LoadResult } from '../../shared/record-store.js';
import { JOB_LOG_LIMIT, JobRecordSchema, type JobRecord } from './job-record.js';
import { jobLifecycle, jobProgress, type JobStatus } from './job-status.js';

/** The job with this id, or the newest whose id starts with it (six characters at least). */
export function pickJob(newestFirst: readonly JobRecord[], id: string): JobRecord {
  const job = newestFirst.find((j) => j.id === id) ?? newestFirst.find((j) => j.id.startsWith(id) && id.length >= 6);
  if (!job) throw codedError('JOB_NOT_FOUND', { which: `has the id "${id}"` });
  return job;
}

/**
 * Creation jobs, in memory and in the agent's database. Every change goes through `update`, which
 * checks status moves against the lifecycle, keeps progress monotonic, persists, and emits 'job'.
 */
export class JobStore {
  private readonly store: RecordStore<JobRecord>;
  private readonly jobs = new Map<string, JobRecord>();
  private readonly events = new EventEmitter();

  constructor(runtime: IAgentRuntime) {
    this.store = new RecordStore(runtime, 'plugin-dynamic:creation-jobs', JobRecordSchema);
    this.events.setMaxListeners(100);
  }

  async load(): Promise<LoadResult<JobRecord>['corrupt']> {
    const { records, corrupt } = await this.store.load();
    this.jobs.clear();
    for (const job of records) this.jobs.set(job.id, job);
    return corrupt;
  }

  all(): JobRecord[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  get(id: string): JobRecord {
    return pickJob(this.all(), id);
  }

  async add(job: JobRecord): Promise<JobRecord> {
    this.jobs.set(job.id, job);
    await this.persist();
    this.events.emit('job', job);
    return job;
  }

  /** Applies a change; a status change must be allowed by the lifecycle. */
  async update(id: string, change: (job: JobRecord) => Partial<JobRecord>, logLine?: string): Promise<JobRecord> {
    const current = this.get(id);
    const patch = change(current);
    const status: JobStatus = patch.status ?? current.status;
    if (status !== current.status) jobLifecycle.transition(current.status, status, `Job ${id}`);
    const next: JobRecord = { ...current, ...patch, status, updatedAt: new Date().toISOString() };
    next.progress = Math.max(
      status === 'queued' ? 0 : current.progress,
      jobProgress(next.status, next.phase, next.iteration),
    );
    if (logLine) next.log = [...next.log, { at: next.updatedAt, message: logLine }].slice(-JOB_LOG_LIMIT);
    this.jobs.set(id, next);
    await this.persist();
    this.events.emit('job', next);
    return next;
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) this.jobs.delete(id);
    await this.persist();
  }

  onChange(listener: (job: JobRecord) => void): () => void {
    this.events.on('job', listener);
    return () => this.events.off('job', listener);
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  private persist(): Promise<void> {
    return this.store.save(this.all());
  }
}
