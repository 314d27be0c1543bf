import { EventEmitter } from 'node:events';
import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../../errors.js';
import type { LoadResult } from '../../shared/record-store.js';
import { documentJobBackend, type JobBackend } from './job-backend.js';
import { JOB_LOG_LIMIT, type JobRecord } from './job-record.js';
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
  private readonly store: JobBackend;
  private readonly jobs = new Map<string, JobRecord>();
  private readonly events = new EventEmitter();

  /** Records in the agent's own database unless another backend (the fleet's job table) is given. */
  constructor(runtime: IAgentRuntime, backend?: JobBackend) {
    this.store = backend ?? documentJobBackend(runtime);
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

  /** Stores a new job; a backend that refuses it (the fleet's hourly limit) leaves nothing behind. */
  async add(job: JobRecord): Promise<JobRecord> {
    await this.store.insert(job, [job, ...this.all()]);
    this.jobs.set(job.id, job);
    this.events.emit('job', job);
    return job;
  }

  /** A record changed elsewhere (a fleet worker): held and announced, not written back. */
  adopt(job: JobRecord): void {
    this.jobs.set(job.id, job);
    this.events.emit('job', job);
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
    await this.store.write(next, this.all());
    this.events.emit('job', next);
    return next;
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) this.jobs.delete(id);
    await this.store.remove(ids, this.all());
  }

  onChange(listener: (job: JobRecord) => void): () => void {
    this.events.on('job', listener);
    return () => this.events.off('job', listener);
  }

  flush(): Promise<void> {
    return this.store.flush();
  }
}
