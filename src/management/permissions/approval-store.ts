import type { IAgentRuntime } from '@elizaos/core';
import { RecordStore, type LoadResult } from '../../shared/record-store.js';
import { ApprovalRecordSchema, type ApprovalRecord } from './approval-record.js';

/** The key of the approvals' document in the agent's database (beside the installed plugins'). */
export const APPROVALS_KEY = 'plugin-dynamic:plugin-approvals';

/**
 * One approval per plugin, kept where the installed plugins' records are: one record store in the
 * agent's own database (PGLite or PostgreSQL), each record checked by its schema when read (a bad
 * one is moved aside and reported), every write a single upsert applied in order.
 */
export class ApprovalStore {
  private readonly store: RecordStore<ApprovalRecord>;
  private readonly records = new Map<string, ApprovalRecord>();

  constructor(runtime: Pick<IAgentRuntime, 'getCache' | 'setCache'>) {
    this.store = new RecordStore(runtime, APPROVALS_KEY, ApprovalRecordSchema);
  }

  async load(): Promise<LoadResult<ApprovalRecord>['corrupt']> {
    const { records, corrupt } = await this.store.load();
    this.records.clear();
    for (const record of records) this.records.set(record.packageName, record);
    return corrupt;
  }

  get(packageName: string): ApprovalRecord | undefined {
    return this.records.get(packageName);
  }

  all(): ApprovalRecord[] {
    return [...this.records.values()].sort((a, b) => a.packageName.localeCompare(b.packageName));
  }

  async put(record: ApprovalRecord): Promise<ApprovalRecord> {
    const checked = ApprovalRecordSchema.parse(record);
    this.records.set(checked.packageName, checked);
    await this.store.save(this.all());
    return checked;
  }

  async remove(packageName: string): Promise<void> {
    if (!this.records.delete(packageName)) return;
    await this.store.save(this.all());
  }

  flush(): Promise<void> {
    return this.store.flush();
  }
}
