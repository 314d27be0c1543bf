import type { JobRecord } from '../creation/jobs/job-record.js';
import type { OperationCalls } from '../operations/index.js';

export type LifecycleVerb = 'activate' | 'deactivate' | 'unload';

/**
 * What the commands need, whether the services run in this process (headless) or in a running
 * agent (--agent-url): one function per operation of the table (src/operations), with the same
 * input and answer either way, so the output is the same either way.
 */
export type Backend = OperationCalls & {
  readonly mode: 'headless' | 'agent';
  /**
   * Calls `onUpdate` with the job now and after every change until it ends (events in a headless
   * runtime, polling against an agent), then resolves with its final record. Rejects when
   * `signal` aborts; the job itself is left alone.
   */
  watchJob(id: string, onUpdate: (job: JobRecord) => void, signal: AbortSignal): Promise<JobRecord>;
  close(): Promise<void>;
};
