import pTimeout from 'p-timeout';

/*
 * The one bounded wait: a promise raced against a time limit and, optionally, an abort signal.
 * p-timeout (already under p-queue, kept by sindresorhus) clears its timer and its abort listener
 * whichever way the race ends, which each hand-written race here had to remember on its own.
 */

export interface BoundOptions {
  /** The limit in milliseconds; zero or less times out at once. */
  ms: number;
  /** The error the wait fails with when the limit passes (made only then). */
  onTimeout: () => Error;
  /** Ends the wait early with the signal's own reason (an Error reason is passed on as it is). */
  signal?: AbortSignal | undefined;
}

/**
 * Waits for `work` for at most `ms`. Work that settles after the bound is ignored: its late
 * rejection is caught so that it cannot become an unhandled rejection.
 */
export function bounded<T>(work: PromiseLike<T>, opts: BoundOptions): Promise<T> {
  const promise = Promise.resolve(work);
  promise.catch(() => undefined);
  return pTimeout(promise, {
    milliseconds: Math.max(1, opts.ms),
    fallback: () => {
      throw opts.onTimeout();
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
