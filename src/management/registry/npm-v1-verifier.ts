import { judgeV1Releases, type NpmV1Check } from './npm-v1-check.js';

/** Asks npm about one package's 1.x range; resolves 'missing' when npm has no such release. */
export type NpmV1View = (name: string, signal: AbortSignal) => Promise<unknown>;

export interface NpmV1VerifierOptions {
  view: NpmV1View;
  /** How long a verdict is reused. @default 6 hours */
  ttlMs?: number;
  /** Bound on one whole verification round (every name in it). */
  timeoutMs: number;
  /** npm processes at once. @default 3 */
  concurrency?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/**
 * Checks registry entries against npm before they are offered as installable: each name is asked
 * once per TTL (`npm view` through the npm client, bounded), several at a time, all within one time
 * bound. A name npm could not be asked about in time is `unverified` (and checked again at install).
 */
export class NpmV1Verifier {
  private readonly cache = new Map<string, { at: number; check: NpmV1Check }>();
  private readonly ttlMs: number;
  private readonly concurrency: number;
  private readonly now: () => number;

  constructor(private readonly opts: NpmV1VerifierOptions) {
    this.ttlMs = opts.ttlMs ?? 6 * 3_600_000;
    this.concurrency = opts.concurrency ?? 3;
    this.now = opts.now ?? Date.now;
  }

  /** The verdict already known for a name, without asking npm. */
  cached(name: string): NpmV1Check | undefined {
    const hit = this.cache.get(name);
    return hit && this.now() - hit.at < this.ttlMs ? hit.check : undefined;
  }

  /** Verdicts for every name, asking npm about those not cached; never throws but for the caller's abort. */
  async verify(names: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Map<string, NpmV1Check>> {
    options.signal?.throwIfAborted();
    const result = new Map<string, NpmV1Check>();
    const todo: string[] = [];
    for (const name of new Set(names)) {
      const known = this.cached(name);
      if (known) result.set(name, known);
      else todo.push(name);
    }
    if (todo.length === 0) return result;
    const round = AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), ...(options.signal ? [options.signal] : [])]);
    const worker = async () => {
      for (let name = todo.shift(); name !== undefined; name = todo.shift()) {
        if (round.aborted) {
          result.set(name, { status: 'unverified', reason: 'npm was not asked in time' });
          continue;
        }
        try {
          const check = judgeV1Releases(name, await this.opts.view(name, round));
          result.set(name, check);
          if (check.status !== 'unverified') this.cache.set(name, { at: this.now(), check });
        } catch (error) {
          result.set(name, { status: 'unverified', reason: `npm could not be asked (${error instanceof Error ? error.message : String(error)})` });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, todo.length) }, worker));
    options.signal?.throwIfAborted();
    return result;
  }
}
