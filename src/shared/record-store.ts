import type { IAgentRuntime } from '@elizaos/core';
import type { z } from 'zod';

type CacheRuntime = Pick<IAgentRuntime, 'getCache' | 'setCache'>;

interface StoredDocument {
  version: number;
  records: unknown[];
}

export interface LoadResult<T> {
  records: T[];
  /** Records that failed their schema and were moved aside, with where they went. */
  corrupt: { count: number; movedTo: string | undefined; reasons: string[] };
}

/**
 * One versioned document of records in the agent's own database (the runtime's cache table, so it
 * works on PGLite and PostgreSQL alike). Each record is schema-checked on read: a bad one is moved
 * aside under its own key and reported, and the rest are kept. Writes are single upserts, queued
 * so that concurrent callers never interleave.
 */
export class RecordStore<T> {
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runtime: CacheRuntime,
    private readonly key: string,
    private readonly schema: z.ZodType<T>,
    private readonly version = 1,
  ) {}

  async load(): Promise<LoadResult<T>> {
    const raw = await this.runtime.getCache<unknown>(this.key);
    if (raw === undefined || raw === null) return { records: [], corrupt: { count: 0, movedTo: undefined, reasons: [] } };
    const doc = raw as Partial<StoredDocument>;
    const records: T[] = [];
    const bad: unknown[] = [];
    const reasons: string[] = [];
    if (typeof doc !== 'object' || doc.version !== this.version || !Array.isArray(doc.records)) {
      bad.push(raw);
      reasons.push(`the document is not version ${this.version} with a records list`);
    } else {
      for (const record of doc.records) {
        const parsed = this.schema.safeParse(record);
        if (parsed.success) records.push(parsed.data);
        else {
          bad.push(record);
          reasons.push(parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; '));
        }
      }
    }
    let movedTo: string | undefined;
    if (bad.length > 0) {
      movedTo = `${this.key}:corrupt:${Date.now()}`;
      await this.runtime.setCache(movedTo, { movedAt: new Date().toISOString(), reasons, records: bad });
      await this.save(records);
    }
    return { records, corrupt: { count: bad.length, movedTo, reasons } };
  }

  /** Replaces the stored records; calls are applied in the order they were made. */
  save(records: readonly T[]): Promise<void> {
    const snapshot: StoredDocument = { version: this.version, records: structuredClone([...records]) };
    const next = this.writes.then(async () => {
      const ok = await this.runtime.setCache(this.key, snapshot);
      if (!ok) throw new Error(`The database refused to store ${this.key}.`);
    });
    this.writes = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every queued write has finished. */
  async flush(): Promise<void> {
    await this.writes;
  }
}
