/**
 * How often a crashed host is started again: after `baseDelayMs`, then twice that, and so on, at
 * most `maxRestarts` times in a row; a host that then stays up for a minute earns a clean slate.
 */
export class RestartBackoff {
  private readonly attempts = new Map<string, { count: number; lastAt: number }>();

  constructor(private readonly opts: { maxRestarts: number; baseDelayMs: number; healthyAfterMs?: number }) {}

  /** The delay before the next restart, or undefined when the limit is reached. */
  next(key: string, now = Date.now()): number | undefined {
    const healthyAfter = this.opts.healthyAfterMs ?? 60_000;
    const previous = this.attempts.get(key);
    const count = previous && now - previous.lastAt < healthyAfter + this.opts.baseDelayMs * 2 ** previous.count ? previous.count : 0;
    if (count >= this.opts.maxRestarts) return undefined;
    this.attempts.set(key, { count: count + 1, lastAt: now });
    return this.opts.baseDelayMs * 2 ** count;
  }

  /** How many restarts in a row so far. */
  count(key: string): number {
    return this.attempts.get(key)?.count ?? 0;
  }

  /** A person activated the plugin again: start counting afresh. */
  reset(key: string): void {
    this.attempts.delete(key);
  }
}
