import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginDynamicConfig } from '../../config.js';
import { toPluginDynamicError } from '../../errors.js';
import { SPARE_PREFIX, WarmSpare } from './warm-spare.js';

/** How long a spare may wait for a job before it is retired and a fresh one started. */
export const SPARE_IDLE_MS = 15 * 60_000;
/** Spares that fail to start or die while waiting, in a row, before the pool stops making them. */
export const SPARE_MAX_FAILURES = 3;

export interface SparePoolOptions {
  /** @default SPARE_IDLE_MS */
  idleMs?: number;
  /**
   * Start a new spare once the last one is taken and its job is done with it. Off for a CLI `create`,
   * which runs one job and stops. @default true
   */
  replace?: boolean;
  /**
   * Give each spare its practice run (spare-practice.ts) before a job may take it. Off where the
   * job comes seconds after the spare starts (a CLI `create` can then start sooner). @default true
   */
  practise?: boolean;
  /** Where the pool says what it did (a spare retired, died, could not start). */
  log?: (level: 'info' | 'warn', message: string) => void;
}

/** A spare handed to a job: its workers, and what the job calls before each step and when it is done. */
export interface AdoptedSpare {
  spare: WarmSpare;
  /** The job is done with the workers: they end, the spare's files go, and the pool may start the next spare. */
  release(): Promise<void>;
}

/**
 * At most one warm spare toolchain (warm-spare.ts), started ahead of the jobs that may use it: a
 * job takes it (take), and a new one is started when that job is done with it. A spare that waits
 * longer than the idle lifetime is retired and replaced; one whose worker dies is replaced, up to
 * SPARE_MAX_FAILURES in a row; stop() kills it and removes its workspace.
 */
export class SparePool {
  /** The spare starting or waiting now; undefined when none is. */
  private current: Promise<WarmSpare | undefined> | undefined;
  private waiting: WarmSpare | undefined;
  /** The id of the spare being started now, if one is. */
  private startingId: string | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;
  private readonly controller = new AbortController();
  /** Spares taken by jobs and not yet released, by their file name (their configuration is kept). */
  private readonly adopted = new Map<string, WarmSpare>();
  private readonly idleMs: number;
  private readonly replace: boolean;
  private readonly practise: boolean;
  private readonly log: NonNullable<SparePoolOptions['log']>;

  constructor(
    readonly settings: PluginDynamicConfig,
    opts: SparePoolOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? SPARE_IDLE_MS;
    this.replace = opts.replace ?? true;
    this.practise = opts.practise ?? true;
    this.log = opts.log ?? (() => undefined);
  }

  /** Starts a spare unless one is starting or waiting already (or the pool is stopped). */
  start(): void {
    if (this.stopped || this.current) return;
    const launch = this.launch();
    this.current = launch;
  }

  /** Settles once the spare starting now has its workers started (or failed to); at once when none is starting. */
  async started(): Promise<void> {
    await this.current;
  }

  /** The spare waiting for a job now, if one is: its id, workspace and its workers' process ids. */
  waitingSpare(): { id: string; workspaceDir: string; pids: { check: number | undefined; test: number | undefined } } | undefined {
    const spare = this.waiting;
    return spare && { id: spare.id, workspaceDir: spare.workspaceDir, pids: { check: spare.workers.check.pid, test: spare.workers.test.pid } };
  }

  /** Names (`spare-<id>`) of every spare this pool holds now, waiting or adopted: their files are not swept. */
  liveNames(): Set<string> {
    const starting = this.startingId ? [`${SPARE_PREFIX}${this.startingId}`] : [];
    return new Set([...this.adopted.keys(), ...(this.waiting ? [this.waiting.filesName] : []), ...starting]);
  }

  /**
   * The spare for a job, waiting until the one starting has started. `refuse` says why this job
   * cannot use it (then the spare stays for the next job). Resolves to the reason when the job gets none.
   */
  async take(refuse: (spare: WarmSpare) => string | undefined): Promise<AdoptedSpare | { refused: string }> {
    const spare = await this.current;
    // Its practice run's files are gone before the job writes its own.
    await spare?.practised;
    if (!spare || spare !== this.waiting) return { refused: 'no warm spare was ready' };
    if (!spare.alive) return { refused: "the warm spare's workers had ended" };
    const why = refuse(spare);
    if (why) return { refused: why };
    this.waiting = undefined;
    this.current = undefined;
    this.failures = 0;
    clearTimeout(this.idleTimer);
    spare.detach();
    this.adopted.set(spare.filesName, spare);
    let released: Promise<void> | undefined;
    return {
      spare,
      release: () =>
        (released ??= (async () => {
          await spare.release();
          this.adopted.delete(spare.filesName);
          if (this.replace) this.start();
        })()),
    };
  }

  /** Kills the waiting spare (or the one starting) and removes its workspace; no spare is started after. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort(new Error('The spare pool stopped.'));
    clearTimeout(this.idleTimer);
    const spare = await this.current;
    this.current = undefined;
    this.waiting = undefined;
    await spare?.retire();
  }

  private async launch(): Promise<WarmSpare | undefined> {
    let spare: WarmSpare;
    const id = randomUUID();
    this.startingId = id;
    try {
      spare = await WarmSpare.start(this.settings, this.controller.signal, { id, practise: this.practise });
    } catch (error) {
      this.startingId = undefined;
      if (!this.stopped) this.failed(`A warm spare toolchain could not start: ${toPluginDynamicError(error).message}`);
      return undefined;
    }
    this.startingId = undefined;
    if (this.stopped) {
      await spare.retire();
      return undefined;
    }
    this.waiting = spare;
    spare.onWorkerEnd(() => void this.retireWaiting(spare, 'died'));
    this.idleTimer = setTimeout(() => void this.retireWaiting(spare, 'idle'), this.idleMs);
    this.idleTimer.unref();
    return spare;
  }

  /** Retires a spare still waiting (idle too long, or a worker died) and starts the next. */
  private async retireWaiting(spare: WarmSpare, why: 'idle' | 'died'): Promise<void> {
    if (this.waiting !== spare) return;
    this.waiting = undefined;
    this.current = undefined;
    clearTimeout(this.idleTimer);
    await spare.retire();
    if (why === 'died') {
      this.failed('A warm spare toolchain worker ended while it waited.');
      return;
    }
    this.failures = 0;
    this.log('info', 'The warm spare toolchain reached its idle lifetime: replaced by a fresh one.');
    this.start();
  }

  /** Counts a failure in a row; starts another spare until SPARE_MAX_FAILURES. */
  private failed(message: string): void {
    this.current = undefined;
    this.failures++;
    if (this.failures >= SPARE_MAX_FAILURES) {
      this.log('warn', `${message} No more spares are started (${this.failures} failures in a row); jobs start their own workers.`);
      return;
    }
    this.log('warn', `${message} Starting another.`);
    this.start();
  }
}

/**
 * Removes spare workspaces no job refers to and no live spare uses (left by a process that
 * stopped without stopping its pool).
 */
export async function sweepSpareWorkspaces(dataDir: string, keep: ReadonlySet<string>): Promise<void> {
  const root = join(dataDir, 'workspaces');
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const dir = join(root, name);
    if (name.startsWith(SPARE_PREFIX) && !keep.has(dir)) await rm(dir, { recursive: true, force: true });
  }
}
