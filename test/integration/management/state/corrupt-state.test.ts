import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordStore } from '../../../../src/shared/record-store.js';
import { createTestRuntime, type TestRuntime } from '../../../helpers/runtime.js';

describe('a record store in the agent database', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(async () => t.cleanup());

  const schema = z.object({ id: z.string(), count: z.number() });

  it('moves a corrupt record aside, reports it, and keeps the rest', async () => {
    await t.runtime.setCache('test:records', { version: 1, records: [{ id: 'a', count: 1 }, { id: 'b', count: 'lots' }, { id: 'c', count: 3 }] });
    const store = new RecordStore(t.runtime, 'test:records', schema);
    const { records, corrupt } = await store.load();
    expect(records.map((r) => r.id)).toEqual(['a', 'c']);
    expect(corrupt.count).toBe(1);
    expect(corrupt.reasons[0]).toContain('count');
    const aside = await t.runtime.getCache<{ records: unknown[] }>(corrupt.movedTo ?? '');
    expect(aside?.records).toEqual([{ id: 'b', count: 'lots' }]);
    expect(await t.runtime.getCache('test:records')).toEqual({ version: 1, records: [{ id: 'a', count: 1 }, { id: 'c', count: 3 }] });
  });

  it('moves a document of an unknown shape aside instead of resetting silently', async () => {
    await t.runtime.setCache('test:garbage', 'not a document');
    const { records, corrupt } = await new RecordStore(t.runtime, 'test:garbage', schema).load();
    expect(records).toEqual([]);
    expect(corrupt.count).toBe(1);
    expect(await t.runtime.getCache<{ records: unknown[] }>(corrupt.movedTo ?? '')).toMatchObject({ records: ['not a document'] });
  });

  it('applies concurrent saves in order', async () => {
    const store = new RecordStore(t.runtime, 'test:order', schema);
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.save([{ id: 'x', count: n }])));
    expect(await t.runtime.getCache('test:order')).toEqual({ version: 1, records: [{ id: 'x', count: 5 }] });
  });
});
