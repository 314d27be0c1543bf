import type { IAgentRuntime, Memory } from '@elizaos/core';
import { no, ok, type Outcome } from './reply.js';

/** Where a collection lives: the plugin, the kind of record, and whose records they are. */
export interface Collection {
  plugin: string;
  /** Singular noun, e.g. "note". */
  noun: string;
  /** "user": each person has their own; "room": everyone in a conversation shares them. */
  scope: 'user' | 'room';
}

export interface StoredRecord {
  id: number;
  text: string;
  fields: Record<string, unknown>;
  createdAt: string;
  updatedAt?: string;
}

interface RecordsDocument {
  version: 1;
  nextId: number;
  records: StoredRecord[];
}

const MAX_RECORDS = 1000;
const queues = new Map<string, Promise<unknown>>();

function keyOf(runtime: IAgentRuntime, message: Memory, c: Collection): string {
  const owner = c.scope === 'user' ? 'user-' + String(message.entityId) : 'room-' + String(message.roomId);
  return c.plugin + '/records/' + c.noun + '/' + owner + '/' + String(runtime.agentId);
}

function isDocument(value: unknown): value is RecordsDocument {
  const d = value as Partial<RecordsDocument> | null | undefined;
  return !!d && d.version === 1 && typeof d.nextId === 'number' && Array.isArray(d.records);
}

async function load(runtime: IAgentRuntime, key: string): Promise<RecordsDocument> {
  const stored: unknown = await runtime.getCache<RecordsDocument>(key);
  return isDocument(stored) ? stored : { version: 1, nextId: 1, records: [] };
}

/** Read, change and write one collection, one change at a time per collection. */
async function change<T>(runtime: IAgentRuntime, key: string, edit: (doc: RecordsDocument) => T): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(async () => {
    const doc = await load(runtime, key);
    const result = edit(doc);
    if (!(await runtime.setCache(key, doc))) throw new Error('the agent database did not save the change');
    return result;
  });
  queues.set(key, next.catch(() => undefined));
  return next;
}

export function describeRecord(r: StoredRecord): string {
  const extra = Object.entries(r.fields)
    .filter(([, v]) => v !== r.text)
    .map(([k, v]) => k + ': ' + (typeof v === 'string' ? v : JSON.stringify(v)));
  return '#' + String(r.id) + ' ' + r.text + (extra.length ? ' (' + extra.join(', ') + ')' : '');
}

function textOf(values: Record<string, unknown>): string {
  const first = Object.values(values).find((v) => typeof v === 'string' && v.trim() !== '');
  return typeof first === 'string' ? first.trim() : JSON.stringify(values);
}

/** The record a person means: "#3", "3", or words that match exactly one record's text. */
function locate(doc: RecordsDocument, ref: string): StoredRecord[] {
  const id = /^#?\s*(\d+)$/.exec(ref.trim())?.[1];
  if (id) return doc.records.filter((r) => r.id === Number(id));
  const wanted = ref.trim().toLowerCase();
  const exact = doc.records.filter((r) => r.text.toLowerCase() === wanted);
  return exact.length ? exact : doc.records.filter((r) => r.text.toLowerCase().includes(wanted));
}

/** Saves a record; its text is the value named by textKey when given, else the first text among the values. */
export async function addRecord(runtime: IAgentRuntime, message: Memory, c: Collection, values: Record<string, unknown>, textKey?: string): Promise<Outcome> {
  const named = textKey !== undefined && Object.hasOwn(values, textKey) ? values[textKey] : undefined;
  const text = typeof named === 'string' && named.trim() !== '' ? named.trim() : textOf(values);
  const added = await change(runtime, keyOf(runtime, message, c), (doc) => {
    if (doc.records.length >= MAX_RECORDS) return undefined;
    const record: StoredRecord = { id: doc.nextId++, text, fields: values, createdAt: new Date().toISOString() };
    doc.records.push(record);
    return { record, count: doc.records.length };
  });
  if (!added) return no('There are already ' + String(MAX_RECORDS) + ' ' + c.noun + 's; remove some first.');
  return ok('Saved ' + c.noun + ' ' + describeRecord(added.record) + '. ' + String(added.count) + ' ' + c.noun + (added.count === 1 ? '' : 's') + ' now.', { record: added.record, count: added.count });
}

export async function removeRecord(runtime: IAgentRuntime, message: Memory, c: Collection, ref: string): Promise<Outcome> {
  const removed = await change(runtime, keyOf(runtime, message, c), (doc) => {
    const found = locate(doc, ref);
    if (found.length !== 1 || !found[0]) return found;
    const target = found[0];
    doc.records = doc.records.filter((r) => r !== target);
    return [target];
  });
  if (removed.length === 0) return no('There is no ' + c.noun + ' "' + ref + '".', { removed: null });
  if (removed.length > 1) return no('"' + ref + '" matches ' + String(removed.length) + ' ' + c.noun + 's: ' + removed.map(describeRecord).join('; ') + '. Which number?', { question: true });
  return ok('Removed ' + c.noun + ' ' + describeRecord(removed[0] as StoredRecord) + '.', { removed: removed[0] });
}

export async function updateRecord(runtime: IAgentRuntime, message: Memory, c: Collection, ref: string, values: Record<string, unknown>, textKey?: string): Promise<Outcome> {
  const updated = await change(runtime, keyOf(runtime, message, c), (doc) => {
    const found = locate(doc, ref);
    const target = found.length === 1 ? found[0] : undefined;
    if (!target) return found.length;
    target.fields = { ...target.fields, ...values };
    const text = textKey !== undefined && Object.hasOwn(values, textKey) && typeof values[textKey] === 'string' ? values[textKey] : Object.entries(values).find(([, v]) => typeof v === 'string' && v.trim() !== '')?.[1];
    if (typeof text === 'string') target.text = text.trim();
    target.updatedAt = new Date().toISOString();
    return target;
  });
  if (typeof updated === 'number') return no(updated === 0 ? 'There is no ' + c.noun + ' "' + ref + '".' : '"' + ref + '" matches several ' + c.noun + 's; which number?');
  return ok('Updated ' + c.noun + ' ' + describeRecord(updated) + '.', { record: updated });
}

/** Sets one field of a record ("mark #2 as read", "rate #1 5", "complete #3"). */
export async function markRecord(runtime: IAgentRuntime, message: Memory, c: Collection, ref: string, field: string, value: unknown): Promise<Outcome> {
  const marked = await change(runtime, keyOf(runtime, message, c), (doc) => {
    const found = locate(doc, ref);
    const target = found.length === 1 ? found[0] : undefined;
    if (!target) return found.length;
    target.fields = { ...target.fields, [field]: value };
    target.updatedAt = new Date().toISOString();
    return target;
  });
  if (typeof marked === 'number') return no(marked === 0 ? 'There is no ' + c.noun + ' "' + ref + '".' : '"' + ref + '" matches several ' + c.noun + 's; which number?', { question: marked > 1 });
  return ok('Marked ' + c.noun + ' ' + describeRecord(marked) + '.', { record: marked });
}

export async function listRecords(runtime: IAgentRuntime, message: Memory, c: Collection): Promise<StoredRecord[]> {
  return (await load(runtime, keyOf(runtime, message, c))).records;
}

export async function listOutcome(runtime: IAgentRuntime, message: Memory, c: Collection): Promise<Outcome> {
  const records = await listRecords(runtime, message, c);
  if (records.length === 0) return ok('There are no ' + c.noun + 's yet.', { records, count: 0 });
  return ok(String(records.length) + ' ' + c.noun + (records.length === 1 ? '' : 's') + ':\n' + records.map(describeRecord).join('\n'), { records, count: records.length });
}

export async function findRecords(runtime: IAgentRuntime, message: Memory, c: Collection, query: string): Promise<Outcome> {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const records = (await listRecords(runtime, message, c)).filter((r) => {
    const hay = (r.text + ' ' + JSON.stringify(r.fields)).toLowerCase();
    return words.every((w) => hay.includes(w)) || String(r.id) === query.replace(/^#/, '');
  });
  if (records.length === 0) return ok('No ' + c.noun + ' matches "' + query + '".', { records, count: 0 });
  return ok('Found ' + String(records.length) + ':\n' + records.map(describeRecord).join('\n'), { records, count: records.length });
}

export async function clearRecords(runtime: IAgentRuntime, message: Memory, c: Collection): Promise<Outcome> {
  const count = await change(runtime, keyOf(runtime, message, c), (doc) => {
    const n = doc.records.length;
    doc.records = [];
    return n;
  });
  return ok('Cleared ' + String(count) + ' ' + c.noun + (count === 1 ? '' : 's') + '.', { cleared: count });
}
