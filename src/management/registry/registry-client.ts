import { SETTING_NAMES } from '../../config.js';
import { PluginDynamicError } from '../../errors.js';
import type { RegistryEntry } from '../types.js';
import { fetchRegistry } from './fetch-registry.js';
import {
  REGISTRY_CACHE_VERSION,
  readRegistryCache,
  writeRegistryCache,
  type RegistryCacheDocument,
} from './registry-cache.js';
import { resolvePluginName, type ResolveOptions } from './resolve-plugin-name.js';
import { searchRegistry, type RegistrySearchHit } from './search-registry.js';

export const REGISTRY_ORIGINS = ['network', 'cache', 'stale-cache', 'none'] as const;
export type RegistryOrigin = (typeof REGISTRY_ORIGINS)[number];

export interface RegistrySnapshot {
  entries: RegistryEntry[];
  /** network: fetched now; cache: a copy within its TTL; stale-cache: an older copy because the fetch failed; none: nothing. */
  origin: RegistryOrigin;
  /** When the entries were fetched from the registry (ISO 8601). */
  fetchedAt?: string;
  /** For a person: why these entries are old or missing. */
  warning?: string;
}

export interface RegistryLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

export interface RegistryClientOptions {
  /** Address of generated-registry.json or index.json. */
  url: string;
  /** Where the last fetched copy is kept (inside the data directory). */
  cacheFile: string;
  /** How long a fetched copy is used without asking the network again. */
  ttlMs: number;
  /** Limit for one fetch, body included. */
  timeoutMs: number;
  /** @default 20 MiB */
  maxBytes?: number;
  /**
   * After a failed fetch, answer from the fallback for this long before trying the network again,
   * so that a hanging registry does not cost every search a full timeout.
   * @default 60_000
   */
  retryAfterFailureMs?: number;
  logger?: RegistryLogger;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

const LOG_SRC = 'plugin-dynamic:registry';
const silent: RegistryLogger = { info: () => undefined, warn: () => undefined };

/** "2026-04-22 00:49 UTC": precise enough to judge how old a copy is. */
function formatDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function reasonOf(error: unknown): string {
  if (error instanceof PluginDynamicError && typeof error.details?.['reason'] === 'string') {
    return error.details['reason'];
  }
  return `failed (${error instanceof Error ? error.message : String(error)})`;
}

/**
 * The plugin registry as this agent sees it: fetched with a timeout, cached on disk with a TTL,
 * the cached copy used (and said so) when the network fails, empty with an explanation when there is none.
 */
export class RegistryClient {
  private readonly url: string;
  private readonly cacheFile: string;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number | undefined;
  private readonly retryAfterFailureMs: number;
  private readonly logger: RegistryLogger;
  private readonly now: () => number;
  /** The cache document last read or written, so that a search does not re-read the file. */
  private memory: RegistryCacheDocument | undefined;
  private lastFailure: { at: number; snapshot: RegistrySnapshot } | undefined;
  /** Why the cache file on disk could not be used, when it could not: told to the user if nothing else is left. */
  private cacheProblem: string | undefined;

  constructor(options: RegistryClientOptions) {
    this.url = options.url;
    this.cacheFile = options.cacheFile;
    this.ttlMs = options.ttlMs;
    this.timeoutMs = options.timeoutMs;
    this.maxBytes = options.maxBytes;
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? 60_000;
    this.logger = options.logger ?? silent;
    this.now = options.now ?? Date.now;
  }

  /**
   * The registry entries, from the cache while it is fresh, else from the network, else from the old cache.
   * `refresh` skips the fresh cache (and the pause after a failure).
   *
   * @throws the caller's `signal.reason` when cancelled; registry failures never throw, they set `warning`.
   */
  async load(options: { signal?: AbortSignal; refresh?: boolean } = {}): Promise<RegistrySnapshot> {
    const { signal, refresh = false } = options;
    signal?.throwIfAborted();
    const cached = await this.cached();
    const now = this.now();
    if (!refresh && cached && this.isFresh(cached, now)) {
      return { entries: cached.entries, origin: 'cache', fetchedAt: cached.fetchedAt };
    }
    if (!refresh && this.lastFailure && now - this.lastFailure.at < this.retryAfterFailureMs) {
      return this.lastFailure.snapshot;
    }
    try {
      const entries = await fetchRegistry({ url: this.url, timeoutMs: this.timeoutMs, maxBytes: this.maxBytes, signal });
      const fetchedAt = new Date(this.now()).toISOString();
      await this.remember({ version: REGISTRY_CACHE_VERSION, url: this.url, fetchedAt, entries });
      this.lastFailure = undefined;
      this.cacheProblem = undefined;
      this.logger.info({ src: LOG_SRC, url: this.url, entries: entries.length }, 'Fetched the plugin registry');
      return { entries, origin: 'network', fetchedAt };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const snapshot = this.fallback(cached, reasonOf(error), now);
      this.lastFailure = { at: now, snapshot };
      this.logger.warn({ src: LOG_SRC, url: this.url, origin: snapshot.origin }, snapshot.warning);
      return snapshot;
    }
  }

  /** Ranked matches for a free-text query, with where the entries came from and any warning about them. */
  async search(
    query: string,
    options: { limit?: number; v1Only?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ hits: RegistrySearchHit[]; origin: RegistryOrigin; fetchedAt?: string; warning?: string }> {
    const snapshot = await this.load(options.signal ? { signal: options.signal } : {});
    const hits = searchRegistry(snapshot.entries, query, { limit: options.limit, v1Only: options.v1Only });
    return {
      hits,
      origin: snapshot.origin,
      ...(snapshot.fetchedAt === undefined ? {} : { fetchedAt: snapshot.fetchedAt }),
      ...(snapshot.warning === undefined ? {} : { warning: snapshot.warning }),
    };
  }

  /**
   * The entry a person means by `word` (see resolvePluginName).
   *
   * @throws PluginDynamicError REGISTRY_UNAVAILABLE when there is no registry at all, else as resolvePluginName.
   */
  async resolve(word: string, options: { signal?: AbortSignal } & ResolveOptions = {}): Promise<RegistryEntry> {
    const snapshot = await this.load(options.signal ? { signal: options.signal } : {});
    if (snapshot.origin === 'none') {
      // The snapshot's warning is already written for a person.
      throw new PluginDynamicError('REGISTRY_UNAVAILABLE', snapshot.warning ?? 'The plugin registry is unavailable.', {
        details: { url: this.url },
      });
    }
    return resolvePluginName(snapshot.entries, word, options.fuzzy === undefined ? {} : { fuzzy: options.fuzzy });
  }

  private isFresh(document: RegistryCacheDocument, now: number): boolean {
    const age = now - Date.parse(document.fetchedAt);
    // A copy dated in the future (clock moved back) is not trusted as fresh.
    return age >= 0 && age < this.ttlMs;
  }

  private async cached(): Promise<RegistryCacheDocument | undefined> {
    if (this.memory) return this.memory;
    const read = await readRegistryCache(this.cacheFile, this.now());
    switch (read.kind) {
      case 'missing':
        return undefined;
      case 'unreadable':
        this.cacheProblem = `the cached copy ${this.cacheFile} could not be read (${read.reason})`;
        this.logger.warn({ src: LOG_SRC, file: this.cacheFile }, `The registry cache could not be read: ${read.reason}`);
        return undefined;
      case 'corrupt':
        this.cacheProblem = read.movedTo
          ? `the cached copy was unreadable and was moved aside to ${read.movedTo}`
          : `the cached copy ${this.cacheFile} is unreadable and could not be moved aside`;
        this.logger.warn(
          { src: LOG_SRC, file: this.cacheFile, movedTo: read.movedTo },
          `The registry cache was unreadable (${read.reason}) and was moved aside to ${read.movedTo ?? '(could not move it)'}`,
        );
        return undefined;
      case 'ok':
        if (read.document.url !== this.url) return undefined;
        this.memory = read.document;
        return read.document;
    }
  }

  private async remember(document: RegistryCacheDocument): Promise<void> {
    this.memory = document;
    try {
      await writeRegistryCache(this.cacheFile, document);
    } catch (error) {
      // The fetched entries are good; only offline use later suffers, so say so and carry on.
      this.logger.warn(
        { src: LOG_SRC, file: this.cacheFile },
        `The registry could not be cached: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private fallback(cached: RegistryCacheDocument | undefined, reason: string, now: number): RegistrySnapshot {
    if (cached) {
      return {
        entries: cached.entries,
        origin: this.isFresh(cached, now) ? 'cache' : 'stale-cache',
        fetchedAt: cached.fetchedAt,
        warning: `Using the cached registry from ${formatDate(cached.fetchedAt)} because the registry at ${this.url} ${reason}.`,
      };
    }
    const noCopy = this.cacheProblem ?? 'there is no cached copy yet';
    return {
      entries: [],
      origin: 'none',
      warning:
        `No plugin list is available: the registry at ${this.url} ${reason}, and ${noCopy}. ` +
        `Check the network or the ${SETTING_NAMES.registryUrl} setting, then try again.`,
    };
  }
}
