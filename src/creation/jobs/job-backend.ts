import type { IAgentRuntime } from '@elizaos/core';
import { RecordStore, type LoadResult } from '../../shared/record-store.js';
import { JobRecordSchema, type JobRecord } from './job-record.js';

/**
 * Where the job store keeps its records: the agent's own database (one document, the in-process
 * queue's) or the fleet's job table (a row per job, shared with workers). `all` is every record the
 * store holds after the change.
 */
export interface JobBackend {
  load(): Promise<LoadResult<JobRecord>>;
  insert(job: JobRecord, all: readonly JobRecord[]): Promise<void>;
  write(job: JobRecord, all: readonly JobRecord[]): Promise<void>;
  remove(ids: readonly string[], all: readonly JobRecord[]): Promise<void>;
  flush(): Promise<void>;
}

/** The in-process queue's records: one versioned document in the runtime's cache table. */
export function documentJobBackend(runtime: IAgentRuntime): JobBackend {
  const store = new RecordStore(runtime, 'plugin-dynamic:creation-jobs', JobRecordSchema);
  return {
    load: () => store.load(),
    insert: (_job, all) => store.save(all),
    write: (_job, all) => store.save(all),
    remove: (_ids, all) => store.save(all),
    flush: () => store.flush(),
  };
}
