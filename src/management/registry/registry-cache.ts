import { readFile, rename } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { RegistryEntrySchema, type RegistryEntry } from '../types.js';

/*
 * The last registry fetched, kept on disk so that search and install keep working offline.
 * It holds the normalised entries (not the raw document) so that reading it needs no second parser;
 * the version says which entry shape it holds.
 */

export const REGISTRY_CACHE_VERSION = 1;

/** A registry entry as the cache holds it: the record's own schema, read strictly off the disk. */
const CachedEntrySchema = RegistryEntrySchema.extend({ name: z.string().min(1), stars: z.number().nonnegative() });

const CacheDocumentSchema = z.object({
  version: z.literal(REGISTRY_CACHE_VERSION),
  /** The registry address it was fetched from: a cache of another registry is not this one's. */
  url: z.string(),
  fetchedAt: z.iso.datetime(),
  entries: z.array(CachedEntrySchema),
});

export interface RegistryCacheDocument {
  version: typeof REGISTRY_CACHE_VERSION;
  url: string;
  fetchedAt: string;
  entries: RegistryEntry[];
}

export type RegistryCacheRead =
  | { kind: 'missing' }
  | { kind: 'ok'; document: RegistryCacheDocument }
  /** Not a cache document we can read: moved aside (when possible) so that it can be inspected. */
  | { kind: 'corrupt'; reason: string; movedTo: string | undefined }
  /** The file exists but could not be read (permissions, a folder in its place): left where it is. */
  | { kind: 'unreadable'; reason: string };

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function toEntry(cached: z.infer<typeof CachedEntrySchema>): RegistryEntry {
  return {
    name: cached.name,
    description: cached.description,
    repository: cached.repository,
    supportsV1: cached.supportsV1,
    npmV1Version: cached.npmV1Version,
    gitV1Branch: cached.gitV1Branch,
    topics: cached.topics,
    stars: cached.stars,
  };
}

function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it does not match the cache format';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'the document';
  return `${where}: ${issue.message}`;
}

/** Reads the cache file; a corrupt one is renamed to `<file>.corrupt-<stamp>`, never silently reused or lost. */
export async function readRegistryCache(file: string, stamp: number = Date.now()): Promise<RegistryCacheRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
  let reason: string;
  try {
    const parsed = CacheDocumentSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      const { version, url, fetchedAt, entries } = parsed.data;
      return { kind: 'ok', document: { version, url, fetchedAt, entries: entries.map(toEntry) } };
    }
    reason = describeIssues(parsed.error);
  } catch (error) {
    reason = `it is not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  const movedTo = `${file}.corrupt-${stamp}`;
  try {
    await rename(file, movedTo);
    return { kind: 'corrupt', reason, movedTo };
  } catch {
    return { kind: 'corrupt', reason, movedTo: undefined };
  }
}

/** Replaces the cache file in one step, so a crash leaves the old copy or the new one. */
export async function writeRegistryCache(file: string, document: RegistryCacheDocument): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(document)}\n`);
}
