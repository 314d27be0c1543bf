import type pg from 'pg';

/** The first key of every advisory lock plugin-dynamic takes for a machine's build slots. */
const SLOT_NAMESPACE = 'plugin-dynamic:slots:';

/** One held slot: the session that holds its lock, which the lane also uses for the job's own lock. */
export interface HeldSlot {
  index: number;
  client: pg.PoolClient;
  release: () => Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The sandboxed builds one machine may run at once, for every agent and worker on it: `limit`
 * session advisory locks keyed by the host name. A process that dies loses its session, and with it
 * its slot, at once.
 */
export class ServerSlots {
  constructor(
    private readonly pool: pg.Pool,
    readonly host: string,
    readonly limit: number,
    private readonly pollMs: number,
  ) {}

  /** Waits for a free slot; undefined when `signal` ends the wait. */
  async acquire(signal: AbortSignal): Promise<HeldSlot | undefined> {
    const client = await this.pool.connect();
    try {
      while (!signal.aborted) {
        for (let index = 0; index < this.limit; index++) {
          const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), $2) AS got', [SLOT_NAMESPACE + this.host, index]);
          if (rows[0]?.got) {
            return {
              index,
              client,
              release: async () => {
                await client.query('SELECT pg_advisory_unlock(hashtext($1), $2)', [SLOT_NAMESPACE + this.host, index]).catch(() => undefined);
                client.release();
              },
            };
          }
        }
        await sleep(this.pollMs, signal);
      }
    } catch (error) {
      client.release(true);
      throw error;
    }
    client.release();
    return undefined;
  }

  /** How many slots of this machine are held now, by any process. */
  async inUse(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::int = hashtext($1)",
      [SLOT_NAMESPACE + this.host],
    );
    return rows[0]?.n ?? 0;
  }
}
