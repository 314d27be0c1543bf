import type { Logger } from '@elizaos/core';
import { toPluginDynamicError } from '../../errors.js';
import type { GroupBounds, Sandbox } from '../../shared/sandbox/index.js';
import type { ChannelLimits } from './host-channel.js';
import { PluginHost } from './plugin-host.js';
import { createWarmFolders, releaseWarmFolders, type WarmFolders } from './warm-folders.js';

/** A spare host, started and warm, with the folders it was started on. */
export interface WarmHost {
  host: PluginHost;
  folders: WarmFolders;
}

export interface WarmHostsOptions {
  dataDir: string;
  /** The sandbox hosts run in; a spare is only kept with bubblewrap (without it no walls are fixed at start). */
  sandbox: () => Promise<Sandbox>;
  bounds: GroupBounds;
  outputCapBytes: number;
  callTimeoutMs: number;
  startTimeoutMs: number;
  channelLimits?: Partial<ChannelLimits>;
  /** The data folder's link to the agent's node_modules, bound as for every host. */
  parentModules: string;
  /** What a spare loads before any plugin (module specifiers resolved from the worker). */
  preload: string[];
  /** A spare nobody took within this is ended (and not replaced until the next activation). */
  idleMs: number;
  logger: Pick<Logger, 'debug' | 'warn'>;
}

/** Spares that failed to start in a row before no more are started (until the service starts again). */
const MAX_FAILURES_IN_A_ROW = 3;

/**
 * At most one spare plugin host, started ahead in its sandbox and control group with nothing of any
 * plugin, for the next isolated activation to take. A taken host serves that plugin only; another
 * spare is started behind it. A spare idle for `idleMs` is ended; `stop()` ends the spare and
 * stops starting new ones. Every spare's folders are removed when it ends.
 */
export class WarmHosts {
  private spare: Promise<WarmHost | undefined> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Off: no spare is kept (the benchmark's cold side); `stop()` is final, this is not. */
  private enabled = true;
  private failures = 0;

  constructor(private readonly opts: WarmHostsOptions) {}

  /** Starts a spare when there is none (none after `stop()`, nor after repeated failures). */
  prepare(): void {
    if (this.stopped || !this.enabled || this.spare || this.failures >= MAX_FAILURES_IN_A_ROW) return;
    const starting = this.startOne();
    this.spare = starting;
    void starting.then((warm) => {
      if (this.spare !== starting) return;
      if (!warm) {
        this.spare = undefined;
        return;
      }
      const rssMb = ((warm.host.warmRssBytes ?? 0) / 1024 / 1024).toFixed(1);
      this.opts.logger.debug({ src: 'plugin-dynamic:host', pid: warm.host.pid, rssMb }, `A warm plugin host is ready for the next isolated plugin (${rssMb} MB resident).`);
      this.idleTimer = setTimeout(() => void this.retire(starting), this.opts.idleMs);
      this.idleTimer.unref();
    });
  }

  /**
   * The spare, for one plugin: waits for one that is starting (it began before this activation, so
   * it is never slower than a cold start), then starts the next. Undefined when there is none, and
   * then one is started for the next activation.
   */
  async take(): Promise<WarmHost | undefined> {
    const starting = this.spare;
    if (this.stopped) return undefined;
    if (!starting) {
      // None (retired when idle, or it died): this activation starts cold, the next finds one.
      this.prepare();
      return undefined;
    }
    const warm = await starting;
    if (this.spare !== starting || !warm?.host.alive) return undefined;
    this.spare = undefined;
    clearTimeout(this.idleTimer);
    this.prepare();
    return warm;
  }

  /** The spare's process id and folder, when one is ready (for tests and the benchmark). */
  async ready(): Promise<{ pid: number | undefined; root: string; rssBytes: number | undefined } | undefined> {
    const warm = await this.spare;
    return warm?.host.alive ? { pid: warm.host.pid, root: warm.folders.root, rssBytes: warm.host.warmRssBytes } : undefined;
  }

  /** Off: the spare is ended and activations start their own host; on: a spare is started again. */
  async setEnabled(on: boolean): Promise<void> {
    this.enabled = on;
    this.failures = 0;
    if (on) return this.prepare();
    const starting = this.spare;
    this.spare = undefined;
    clearTimeout(this.idleTimer);
    await this.end(await starting);
  }

  /** Ends the spare (also one still starting) and starts no more. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    const starting = this.spare;
    this.spare = undefined;
    clearTimeout(this.idleTimer);
    await this.end(await starting);
  }

  private async retire(starting: Promise<WarmHost | undefined>): Promise<void> {
    if (this.spare !== starting) return;
    this.spare = undefined;
    this.opts.logger.debug({ src: 'plugin-dynamic:host' }, `A warm plugin host was idle for ${this.opts.idleMs} ms and was ended.`);
    await this.end(await starting);
  }

  private async startOne(): Promise<WarmHost | undefined> {
    let folders: WarmFolders | undefined;
    try {
      const sandbox = await this.opts.sandbox();
      if (sandbox.kind === 'none') return undefined;
      folders = await createWarmFolders(this.opts.dataDir);
      const made = folders;
      const host = await PluginHost.startWarm({
        pluginName: 'a warm plugin host',
        installDir: made.plugin,
        dataFolder: made.data,
        egressFolder: made.net,
        parentModules: this.opts.parentModules,
        sandbox,
        bounds: this.opts.bounds,
        outputCapBytes: this.opts.outputCapBytes,
        callTimeoutMs: this.opts.callTimeoutMs,
        startTimeoutMs: this.opts.startTimeoutMs,
        preload: this.opts.preload,
        ...(this.opts.channelLimits ? { channelLimits: this.opts.channelLimits } : {}),
        // A spare that dies before it is taken is dropped; the next activation starts cold.
        onUnexpectedExit: () => void this.dropDead(made.root),
      });
      this.failures = 0;
      return { host, folders: made };
    } catch (error) {
      this.failures++;
      this.opts.logger.warn({ src: 'plugin-dynamic:host' }, `A warm plugin host did not start; activations start their own host: ${toPluginDynamicError(error).message}`);
      if (folders) await releaseWarmFolders(folders.root).catch(() => undefined);
      return undefined;
    }
  }

  private async dropDead(root: string): Promise<void> {
    const starting = this.spare;
    const warm = await starting;
    if (!warm || warm.folders.root !== root || this.spare !== starting) return;
    this.spare = undefined;
    clearTimeout(this.idleTimer);
    this.failures++;
    await this.end(warm);
  }

  private async end(warm: WarmHost | undefined): Promise<void> {
    if (!warm) return;
    await warm.host.close();
    await releaseWarmFolders(warm.folders.root).catch((error: unknown) => {
      this.opts.logger.warn({ src: 'plugin-dynamic:host' }, `Could not remove a warm host's folders ${warm.folders.root}: ${toPluginDynamicError(error).message}`);
    });
  }
}
