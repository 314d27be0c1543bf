import { createBirpc, type BirpcReturn } from 'birpc';
import { PluginDynamicError } from '../../errors.js';
import { bounded } from '../../shared/bounded.js';
import { DEFAULT_CHANNEL_LIMITS, HostChannel, type ChannelLimits, type ChannelStats } from './host-channel.js';
import { startHostProcess, type HostProcess, type HostProcessOptions } from './host-process.js';
import { HostManifestSchema, HostPluginGrantSchema, WarmAnswerSchema, type AgentFunctions, type HostFunctions, type HostManifest, type HostPluginGrant, type Json } from './protocol.js';

export interface PluginHostOptions extends HostProcessOptions {
  entry: string;
  agentId: string;
  /** The character without secrets or setting values. */
  character: Json;
  /** The plugin's own declared settings with their values. */
  settings: Record<string, string>;
  /** Bound of one forwarded call (action, provider, ...). */
  callTimeoutMs: number;
  /** Bound of start-up: spawn, import and describe. */
  startTimeoutMs: number;
  /** Bounds of what the host sends and of what the agent queues for it; defaults: DEFAULT_CHANNEL_LIMITS. */
  channelLimits?: Partial<ChannelLimits>;
  /** The agent's answers to the host's calls. */
  bridge: AgentFunctions;
  /** Called once when the host ends without being asked to, with the reason in words. */
  onUnexpectedExit: (reason: string) => void;
  /** Cancels the start only; later calls have their own bounds. */
  signal?: AbortSignal;
  /**
   * Measures the start (the plugin-host benchmark): how long each phase took. Given, the agent
   * pings the host before its hello, so that Node's start and the plugin's import are told apart.
   */
  onPhase?: (phase: HostStartPhase, ms: number) => void;
}

/** A spare host's start: its process, and what it loads before any plugin (no plugin, no bridge yet). */
export type WarmHostOptions = Omit<PluginHostOptions, 'entry' | 'agentId' | 'character' | 'settings' | 'bridge' | 'onPhase' | 'egressSocket'> & {
  /** Module specifiers the host imports while it waits (resolved from the worker). */
  preload: string[];
};

/** What a warm host is given at hand-off: the plugin, and the agent's side of its channel. */
export type HostHandoff = HostPluginGrant & Pick<PluginHostOptions, 'pluginName' | 'bridge' | 'onUnexpectedExit'>;

/** Answers every call of a host that has no plugin yet: it has nothing to ask the agent. */
const NO_BRIDGE: AgentFunctions = {
  forward: () => Promise.reject(new Error('this host has not been given a plugin')),
  callback: () => Promise.reject(new Error('this host has not been given a plugin')),
  registerTaskWorker: () => Promise.reject(new Error('this host has not been given a plugin')),
  log: () => undefined,
};

/** A host's start: sandbox, control group and spawn; Node and the worker up (first ping); the plugin imported and described. */
export type HostStartPhase = 'spawn' | 'worker ready' | 'import and describe';

type HostRpc = BirpcReturn<HostFunctions, AgentFunctions>;
type Args<K extends keyof HostFunctions> = Parameters<HostFunctions[K]>;

const PING_TIMEOUT_MS = 2_000;

/**
 * One isolated plugin's process as seen from the agent: start it, call into it with a time bound
 * per call, and end it. A host that dies turns every pending call into a failed result at once;
 * a host that stops answering (a busy loop) is killed after its call times out and a ping fails.
 */
export class PluginHost {
  private readonly rpc: HostRpc;
  private readonly channel: HostChannel;
  private deathReason: string | undefined;
  private closing = false;
  private exited: Promise<void>;
  manifest!: HostManifest;
  /** A warm host's resident memory when it was ready, as it reported it (for the benchmark). */
  warmRssBytes: number | undefined;

  private constructor(
    private readonly proc: HostProcess,
    /** Replaced once, at hand-off, when the host was started warm. */
    private opts: PluginHostOptions,
  ) {
    // Every frame the host sends is checked before birpc sees it; a bad one ends the host.
    this.channel = new HostChannel(proc.channel, { ...DEFAULT_CHANNEL_LIMITS, ...opts.channelLimits }, (reason) => this.kill(reason));
    // birpc looks a function up when it is called: the bridge of the plugin the host serves now.
    const bridge: AgentFunctions = {
      forward: (...args) => this.opts.bridge.forward(...args),
      callback: (...args) => this.opts.bridge.callback(...args),
      registerTaskWorker: (...args) => this.opts.bridge.registerTaskWorker(...args),
      log: (...args) => this.opts.bridge.log(...args),
    };
    this.rpc = createBirpc<HostFunctions, AgentFunctions>(bridge, {
      post: this.channel.post,
      on: this.channel.on,
      serialize: this.channel.serialize,
      // Every call gets its own bound below; this one only keeps birpc from waiting forever.
      timeout: Math.max(opts.callTimeoutMs, opts.startTimeoutMs) + 5_000,
      onTimeoutError: () => true,
      onFunctionError: () => false,
    });
    this.exited = new Promise((resolve) => proc.child.once('exit', (code, signal) => {
      this.onExit(code, signal);
      resolve();
    }));
  }

  static async start(opts: PluginHostOptions): Promise<PluginHost> {
    opts.signal?.throwIfAborted();
    let mark = performance.now();
    const lap = (phase: HostStartPhase): void => {
      const now = performance.now();
      opts.onPhase?.(phase, now - mark);
      mark = now;
    };
    const host = new PluginHost(await startHostProcess(opts, opts.signal), opts);
    lap('spawn');
    try {
      if (opts.onPhase) {
        await host.call('ping', [], opts.startTimeoutMs, opts.signal);
        lap('worker ready');
      }
      const hello = {
        entry: opts.entry,
        agentId: opts.agentId,
        character: opts.character,
        settings: opts.settings,
        ...(opts.egressSocket ? { egressSocket: opts.egressSocket } : {}),
      };
      const described = await host.call('hello', [hello], opts.startTimeoutMs, opts.signal);
      const parsed = HostManifestSchema.safeParse(described);
      if (!parsed.success) throw new PluginDynamicError('LOAD_FAILED', `${opts.pluginName}'s host described the plugin in a shape the agent does not accept: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
      host.manifest = parsed.data;
      lap('import and describe');
      return host;
    } catch (error) {
      await host.close();
      throw error;
    }
  }

  /**
   * Starts a spare host: the same sandbox, control group and bounds as any host, with nothing of a
   * plugin (its folders are the spare's own, empty), and has it load what every host needs.
   */
  static async startWarm(opts: WarmHostOptions): Promise<PluginHost> {
    opts.signal?.throwIfAborted();
    const full: PluginHostOptions = { ...opts, entry: '', agentId: '', character: null, settings: {}, bridge: NO_BRIDGE };
    const host = new PluginHost(await startHostProcess(full, opts.signal), full);
    try {
      const answer = WarmAnswerSchema.safeParse(await host.call('warm', [{ preload: opts.preload }], opts.startTimeoutMs, opts.signal));
      if (!answer.success) throw new PluginDynamicError('LOAD_FAILED', `A warm plugin host answered its start in a shape the agent does not accept: ${answer.error.issues[0]?.message ?? 'invalid'}.`);
      host.warmRssBytes = answer.data.rssBytes;
      return host;
    } catch (error) {
      await host.close();
      throw error;
    }
  }

  /**
   * Gives a warm host its one plugin: from now on it is that plugin's host (its name in every
   * message, its bridge, its exit handler). The grant is checked by its shape before it is sent.
   */
  async handOff(handoff: HostHandoff, signal?: AbortSignal): Promise<void> {
    const { pluginName, bridge, onUnexpectedExit, ...grant } = handoff;
    try {
      const checked = HostPluginGrantSchema.safeParse(grant);
      if (!checked.success) throw new PluginDynamicError('LOAD_FAILED', `${pluginName}'s hand-off to its warm host is not in the shape a host accepts: ${checked.error.issues[0]?.message ?? 'invalid'}.`);
      this.opts = { ...this.opts, pluginName, bridge, onUnexpectedExit, entry: checked.data.entry, agentId: checked.data.agentId, settings: checked.data.settings };
      const described = await this.call('handoff', [checked.data], this.opts.startTimeoutMs, signal);
      const parsed = HostManifestSchema.safeParse(described);
      if (!parsed.success) throw new PluginDynamicError('LOAD_FAILED', `${pluginName}'s host described the plugin in a shape the agent does not accept: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
      this.manifest = parsed.data;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  get alive(): boolean {
    return this.deathReason === undefined && !this.closing;
  }

  get pid(): number | undefined {
    return this.proc.child.pid;
  }

  /** What the channel saw of this host (requests, queue and buffer peaks). */
  channelStats(): ChannelStats {
    return this.channel.stats();
  }

  /** Calls the host; fails with HOST_CALL_TIMEOUT past the bound, HOST_DIED if it is gone, HOST_CALL_FAILED if the plugin threw. */
  async call<K extends keyof HostFunctions>(method: K, args: Args<K>, timeoutMs = this.opts.callTimeoutMs, signal?: AbortSignal): Promise<unknown> {
    if (!this.alive) throw this.deadError();
    const dead = this.exited.then(() => {
      throw this.deadError();
    });
    const answer = (this.rpc.$call as (m: string, ...a: unknown[]) => Promise<unknown>)(method, ...args);
    try {
      return await bounded(Promise.race([answer, dead]), {
        ms: timeoutMs,
        onTimeout: () => new PluginDynamicError('HOST_CALL_TIMEOUT', `${this.opts.pluginName}: ${String(method)} did not answer within ${timeoutMs} ms.`),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) {
        throw new PluginDynamicError('LOAD_FAILED', `${this.opts.pluginName}: ${String(method)} was cancelled.`, { cause: signal.reason });
      }
      if ((error as { code?: string }).code === 'HOST_CALL_TIMEOUT' && method !== 'ping') void this.checkAlive();
      if (error instanceof PluginDynamicError) throw error;
      if (!this.alive) throw this.deadError();
      const message = error && typeof error === 'object' && 'message' in error ? String((error).message) : String(error);
      const code = (error as { code?: unknown }).code === 'HOST_UNSUPPORTED_METHOD' ? 'HOST_UNSUPPORTED_METHOD' : 'HOST_CALL_FAILED';
      throw new PluginDynamicError(code, `${this.opts.pluginName}: ${String(method)} failed: ${message.slice(0, 2_000)}`);
    }
  }

  /** Ends the host on purpose: no restart, no error status. Idempotent. */
  async close(): Promise<void> {
    this.closing = true;
    this.channel.stop();
    this.rpc.$close(new PluginDynamicError('HOST_DIED', `${this.opts.pluginName}'s host was stopped.`));
    await this.proc.kill();
  }

  private kill(reason: string): void {
    this.deathReason ??= reason;
    void this.proc.kill();
  }

  /** After a timed-out call: a host that does not even answer a ping is wedged, and is killed. */
  private async checkAlive(): Promise<void> {
    if (!this.alive) return;
    try {
      await this.call('ping', [], PING_TIMEOUT_MS);
    } catch {
      if (this.alive) this.kill(`stopped answering (a call ran past ${this.opts.callTimeoutMs} ms and a ping got no answer within ${PING_TIMEOUT_MS} ms: a blocked event loop)`);
    }
  }

  private deadError(): PluginDynamicError {
    return new PluginDynamicError('HOST_DIED', `${this.opts.pluginName}'s host ${this.deathReason ?? 'was stopped'}.`);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closing) return;
    const bounds = this.proc.group?.takeBoundsHit() ?? [];
    const stderr = this.proc.stderrTail();
    let reason = this.deathReason;
    if (this.proc.outputCapHit()) reason = `printed more than ${this.opts.outputCapBytes} bytes within a minute (the output cap) and was stopped`;
    else if (bounds.length > 0) reason = `hit ${bounds.join(' and ')} and was killed`;
    else if (/heap out of memory|Allocation failed/i.test(stderr)) reason = `hit the memory limit (${Math.round(this.opts.bounds.memoryBytes / 1024 / 1024)} MB) and was killed`;
    const lines = stderr.trim().split('\n').filter(Boolean);
    // Node ends a crash report with its version; the error line says what happened.
    const lastLine = (lines.find((l) => /^\w*Error\b.*:/.test(l)) ?? lines.at(-1))?.slice(0, 500);
    reason ??= `exited (${signal ?? `code ${code}`})${lastLine ? `: ${lastLine}` : ''}`;
    this.deathReason = reason;
    this.rpc.$close(new PluginDynamicError('HOST_DIED', `${this.opts.pluginName}'s host ${reason}.`));
    void this.proc.kill();
    this.opts.onUnexpectedExit(reason);
  }
}
