import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { IAgentRuntime, Logger, Plugin } from '@elizaos/core';
import { PluginDynamicError, toPluginDynamicError } from '../../errors.js';
import { selectSandbox, type GroupBounds } from '../../shared/sandbox/index.js';
import { startEgressProxy, sweepEgressFolders, type EgressProxy } from '../../shared/sandbox/egress-proxy.js';
import type { PluginRecord } from '../state/plugin-record.js';
import { CallbackTable, createAgentBridge } from './agent-bridge.js';
import { toJsonSafe } from './json-frames.js';
import { egressTestHooksFor } from './egress-test-hooks.js';
import type { ChannelLimits, ChannelStats } from './host-channel.js';
import { HostTaskWorkers } from './host-task-workers.js';
import { keepInspected, keepInspectedRegistrations } from './inspected-manifest.js';
import type { PluginBudgets } from './plugin-budgets.js';
import { PluginHost, type PluginHostOptions } from './plugin-host.js';
import { StorageQuota } from './storage-quota.js';
import { PostingScope } from './posting-scope.js';
import type { Json } from './protocol.js';
import { buildStubPlugin, type StubContext } from './stub-plugin.js';
import { linkInstalledFolder, moveDataIn, releaseWarmFolders, sweepWarmFolders, warmSocketFits } from './warm-folders.js';
import { WarmHosts, type WarmHost } from './warm-hosts.js';

type HostLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export interface IsolatedPluginsOptions {
  runtime: IAgentRuntime;
  logger: HostLogger;
  dataDir: string;
  sandbox: 'auto' | 'bwrap' | 'none';
  bounds: GroupBounds;
  callTimeoutMs: number;
  startTimeoutMs: number;
  /** Model calls, forwarded calls and restarts per plugin over time windows; they outlive hosts. */
  budgets: PluginBudgets;
  /** Overrides of the channel's bounds (DEFAULT_CHANNEL_LIMITS otherwise). */
  channelLimits?: Partial<ChannelLimits>;
  outputCapBytes: number;
  /** A host ended without being asked to; the owner decides about status and restarts. */
  onHostDied: (packageName: string, reason: string) => void;
  /** Storage quota of each plugin (data folder and cache entries), in MB. */
  storageMb: number;
  /** A plugin went over its storage quota: the owner stops it with this error. */
  onQuotaExceeded: (packageName: string, error: PluginDynamicError) => void;
  /**
   * Keep a warm spare host (PLUGIN_DYNAMIC_WARM_HOST), given the next isolated plugin at activation:
   * what it loads first, and how long it may wait. Absent: every host starts cold.
   */
  warm?: { preload: string[]; idleMs: number };
}

/** The character fields a plugin may see: never settings or secrets. */
const CHARACTER_FIELDS = ['id', 'name', 'username', 'bio', 'system', 'topics', 'adjectives', 'style', 'messageExamples', 'postExamples', 'plugins'] as const;

export function characterCopy(runtime: IAgentRuntime): Json {
  const character = runtime.character as unknown as Record<string, unknown>;
  const copy: Record<string, unknown> = { settings: {}, secrets: {} };
  for (const field of CHARACTER_FIELDS) if (character[field] !== undefined) copy[field] = character[field];
  return toJsonSafe(copy) as Json;
}

/** A plugin's private writable folder, under the data folder; it survives restarts. */
export function pluginDataFolder(dataDir: string, packageName: string): string {
  return join(dataDir, 'plugin-data', packageName.replace(/^@/, '').replace(/\//g, '__'));
}

/**
 * Where the egress proxies put their socket folders: short, because a unix socket path holds at most
 * 107 bytes, and under the data folder, which is never bound into a sandbox (only the socket is).
 */
export function egressSocketDir(dataDir: string): string {
  return join(dataDir, 'sock');
}

/**
 * The host processes of isolated plugins, one per plugin: starts a host and hands back the stub
 * plugin to register, pushes settings, and ends hosts. It never touches the runtime's
 * collections itself (the loader does, through the stub plugin), except for task workers the
 * plugin registers from inside its host, which land in the runtime while its init runs and so
 * in its ledger.
 */
export class IsolatedPlugins {
  private readonly hosts = new Map<string, PluginHost>();
  private readonly postingScopes = new Map<string, PostingScope>();
  /** The egress proxy of each running host whose plugin declares network hosts; it ends with its host. */
  private readonly proxies = new Map<string, EgressProxy>();
  /** The storage quota of each running host; it stops watching with its host. */
  private readonly quotas = new Map<string, StorageQuota>();
  /** The task workers each running host registered, removed when it ends. */
  private readonly workers = new Map<string, HostTaskWorkers>();
  /** The warm host folders each running plugin was handed, released (data moved back) when it ends. */
  private readonly tenancies = new Map<string, string>();
  /** The spare host, when warm hosts are on. */
  readonly warm: WarmHosts | undefined;

  constructor(private readonly opts: IsolatedPluginsOptions) {
    this.warm = opts.warm
      ? new WarmHosts({
          dataDir: opts.dataDir,
          sandbox: () => selectSandbox(opts.sandbox),
          bounds: opts.bounds,
          outputCapBytes: opts.outputCapBytes,
          callTimeoutMs: opts.callTimeoutMs,
          startTimeoutMs: opts.startTimeoutMs,
          ...(opts.channelLimits ? { channelLimits: opts.channelLimits } : {}),
          parentModules: join(opts.dataDir, 'node_modules'),
          preload: opts.warm.preload,
          idleMs: opts.warm.idleMs,
          logger: opts.logger,
        })
      : undefined;
  }

  isRunning(packageName: string): boolean {
    return this.hosts.get(packageName)?.alive === true;
  }

  /** The egress proxy's socket of a running plugin that declares hosts (for tests and status). */
  egressSocket(packageName: string): string | undefined {
    return this.proxies.get(packageName)?.socketPath;
  }

  /**
   * Removes socket folders that proxies of an earlier agent process left behind, and its warm hosts'
   * folders (the data of a plugin it was running put back first); then starts the spare, when warm
   * hosts are on. Call once at start.
   */
  async sweepEgress(): Promise<void> {
    const swept = await sweepEgressFolders(egressSocketDir(this.opts.dataDir));
    if (swept > 0) this.opts.logger.debug({ src: 'plugin-dynamic:host', swept }, 'Removed egress proxy sockets left by an earlier run.');
    const warmSwept = await sweepWarmFolders(this.opts.dataDir);
    if (warmSwept > 0) this.opts.logger.debug({ src: 'plugin-dynamic:host', swept: warmSwept }, 'Removed warm host folders left by an earlier run.');
    this.warm?.prepare();
  }

  /** The host's process id (for tests and status), when it runs. */
  pid(packageName: string): number | undefined {
    return this.hosts.get(packageName)?.pid;
  }

  /** What the running host's channel saw (for status and tests). */
  channelStats(packageName: string): ChannelStats | undefined {
    return this.hosts.get(packageName)?.channelStats();
  }

  /** Starts the plugin's host and returns the stub plugin the loader registers. */
  async start(record: PluginRecord, settings: Record<string, string>, opts: { network?: { allowedHosts: string[] }; signal?: AbortSignal } = {}): Promise<Plugin> {
    await this.stop(record.packageName);
    await this.opts.budgets.open(record.packageName);
    const sandbox = await selectSandbox(this.opts.sandbox);
    let dataFolder = pluginDataFolder(this.opts.dataDir, record.packageName);
    await mkdir(dataFolder, { recursive: true, mode: 0o700 });
    const allowedHosts = opts.network?.allowedHosts ?? [];
    // A proxy's socket in a warm host's folder is a longer path than in the shared one: past a unix
    // socket's bound, the plugin starts cold.
    const warmFits = allowedHosts.length === 0 || warmSocketFits(this.opts.dataDir);
    let warm = sandbox.kind === 'none' || !warmFits ? undefined : await this.warm?.take();
    if (warm) {
      // Recorded first: whatever happens next, stop() moves the data back and removes the folders.
      this.tenancies.set(record.packageName, warm.folders.root);
      try {
        await moveDataIn(warm.folders, { packageName: record.packageName, dataFolder });
        await linkInstalledFolder(record.installDir, warm.folders.plugin, opts.signal);
        dataFolder = warm.folders.data;
      } catch (error) {
        // The spare is not used; the plugin starts a host of its own.
        this.opts.logger.warn({ src: 'plugin-dynamic:host', plugin: record.packageName }, `The warm host could not be given the plugin; it starts a host of its own: ${toPluginDynamicError(error).message}`);
        await warm.host.close();
        await this.releaseTenancy(record.packageName);
        opts.signal?.throwIfAborted();
        warm = undefined;
      }
    }
    const quota = this.quotaFor(record.packageName, dataFolder);
    await quota.assertWithin().catch(async (error: unknown) => {
      await warm?.host.close();
      await this.stop(record.packageName);
      throw error;
    });
    try {
      // No declared host: no proxy, and the host's network namespace has only its own loopback.
      const proxy =
        allowedHosts.length > 0
          ? await startEgressProxy({
              allowedHosts,
              pluginName: record.packageName,
              logger: this.opts.logger,
              // A warm host sees its own empty folder, bound at its start: the socket is made in it.
              dir: warm ? warm.folders.net : egressSocketDir(this.opts.dataDir),
              // Not the start's signal: the proxy lives as long as the host, and stop() closes it.
              ...egressTestHooksFor(this.opts.runtime),
            })
          : undefined;
      if (proxy) this.proxies.set(record.packageName, proxy);
      const plugin = await this.startHost(record, settings, dataFolder, sandbox, proxy, quota, warm, opts.signal);
      quota.watch();
      this.quotas.set(record.packageName, quota);
      return plugin;
    } catch (error) {
      await warm?.host.close();
      await this.stop(record.packageName);
      throw error;
    }
  }

  private async startHost(
    record: PluginRecord,
    settings: Record<string, string>,
    dataFolder: string,
    sandbox: Awaited<ReturnType<typeof selectSandbox>>,
    proxy: EgressProxy | undefined,
    quota: StorageQuota,
    warm: WarmHost | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Plugin> {
    const callbacks = new CallbackTable();
    const posting = new PostingScope(this.opts.runtime, record.packageName, settings);
    this.postingScopes.set(record.packageName, posting);
    // The bridge is built before the host it serves; it reads the host through this holder.
    const ref: { host?: PluginHost } = {};
    const runtime = this.opts.runtime;
    const workers = new HostTaskWorkers(runtime, record.packageName);
    this.workers.set(record.packageName, workers);
    const bridge = createAgentBridge(
      {
        runtime,
        pluginName: record.packageName,
        logger: this.opts.logger,
        callTimeoutMs: this.opts.callTimeoutMs,
        storage: quota,
        posting,
        spend: (kind) => this.opts.budgets.take(record.packageName, kind),
        registerTaskWorker: (name, hasValidate) => {
          const host = ref.host;
          if (!host) throw new PluginDynamicError('HOST_DIED', `${record.packageName}'s host is not running.`);
          workers.register(host, name, hasValidate);
        },
      },
      callbacks,
    );
    const hostOpts: PluginHostOptions = {
      pluginName: record.packageName,
      installDir: record.installDir,
      entry: record.entry,
      dataFolder,
      parentModules: join(this.opts.dataDir, 'node_modules'),
      sandbox,
      bounds: this.opts.bounds,
      outputCapBytes: this.opts.outputCapBytes,
      ...(proxy ? { egressSocket: proxy.socketPath } : {}),
      agentId: runtime.agentId,
      character: characterCopy(runtime),
      settings,
      callTimeoutMs: this.opts.callTimeoutMs,
      startTimeoutMs: this.opts.startTimeoutMs,
      bridge,
      ...(this.opts.channelLimits ? { channelLimits: this.opts.channelLimits } : {}),
      onUnexpectedExit: (reason) => {
        if (this.hosts.get(record.packageName) === ref.host) {
          this.hosts.delete(record.packageName);
          workers.removeAll();
          // Its proxy serves no one now; a restart starts a new one.
          void this.closeProxy(record.packageName).catch(() => undefined);
        }
        this.opts.onHostDied(record.packageName, reason);
      },
      ...(signal ? { signal } : {}),
    };
    // A warm host was started on folders of its own: the plugin's entry is where its files were linked.
    const host = warm ? warm.host : await PluginHost.start(hostOpts);
    if (warm) {
      const { pluginName, agentId, character, bridge: agentSide, onUnexpectedExit } = hostOpts;
      const entry = join(warm.folders.plugin, relative(record.installDir, record.entry));
      await host.handOff({ pluginName, agentId, character, settings, bridge: agentSide, onUnexpectedExit, entry, ...(proxy ? { egressSocket: proxy.socketPath } : {}) }, signal);
    }
    ref.host = host;
    this.hosts.set(record.packageName, host);
    if (host.manifest.name !== record.pluginName) {
      await this.stop(record.packageName);
      throw new PluginDynamicError('LOAD_FAILED', `${record.packageName} now exports a plugin named ${host.manifest.name}, not ${record.pluginName}; reinstall it.`);
    }
    // What runs is what was inspected: anything the host announces beyond it, at start or while
    // init runs, gets no stub.
    const refuse = (refused: string[], when: string): void => {
      if (refused.length === 0) return;
      this.opts.logger.warn(
        { src: 'plugin-dynamic:host', plugin: record.packageName, refused },
        `${record.packageName} announced ${when} what its install-time inspection did not show; refused: ${refused.join(', ')}.`,
      );
    };
    const checked = keepInspected(host.manifest, record.components);
    refuse(checked.refused, 'at run time');
    const admit: StubContext['admit'] = (registered) => {
      const part = keepInspectedRegistrations(registered, record.components);
      refuse(part.refused, 'from its init');
      return part.kept;
    };
    return buildStubPlugin({ host, callbacks, logger: this.opts.logger, startTimeoutMs: this.opts.startTimeoutMs, admit, invokedFrom: (m) => posting.noteInvocation(m) }, checked.kept);
  }

  /** Sends the plugin's settings again (after configure). A host that is not running gets them at its next start. */
  async pushSettings(packageName: string, values: Record<string, string>): Promise<void> {
    this.postingScopes.get(packageName)?.setSettings(values);
    const host = this.hosts.get(packageName);
    if (!host?.alive) return;
    await host.call('pushSettings', [values]).catch((error: unknown) => {
      this.opts.logger.warn({ src: 'plugin-dynamic:host', plugin: packageName }, `Could not push settings: ${toPluginDynamicError(error).message}`);
    });
  }

  /** Ends the plugin's host and everything it started, and its egress proxy. Idempotent. */
  async stop(packageName: string): Promise<void> {
    this.quotas.get(packageName)?.close();
    this.quotas.delete(packageName);
    const host = this.hosts.get(packageName);
    this.hosts.delete(packageName);
    await host?.close();
    this.workers.get(packageName)?.removeAll();
    this.workers.delete(packageName);
    await this.closeProxy(packageName);
    await this.releaseTenancy(packageName);
  }

  /** A warm host's folders, once its host is gone: its data goes back and its links are removed. */
  private async releaseTenancy(packageName: string): Promise<void> {
    const tenancy = this.tenancies.get(packageName);
    this.tenancies.delete(packageName);
    if (tenancy) await releaseWarmFolders(tenancy);
  }

  private quotaFor(packageName: string, dataFolder: string): StorageQuota {
    return new StorageQuota({
      runtime: this.opts.runtime,
      packageName,
      dataFolder,
      quotaMb: this.opts.storageMb,
      onExceeded: (error) => {
        this.opts.logger.warn({ src: 'plugin-dynamic:host', plugin: packageName, code: error.code }, error.message);
        this.opts.onQuotaExceeded(packageName, error);
      },
    });
  }

  private async closeProxy(packageName: string): Promise<void> {
    const proxy = this.proxies.get(packageName);
    this.proxies.delete(packageName);
    await proxy?.close();
  }

  /** Removes the plugin's private data folder (on uninstall). */
  async removeData(packageName: string): Promise<void> {
    await rm(pluginDataFolder(this.opts.dataDir, packageName), { recursive: true, force: true });
  }

  async stopAll(): Promise<void> {
    await this.warm?.stop();
    await Promise.all([...new Set([...this.hosts.keys(), ...this.proxies.keys(), ...this.tenancies.keys()])].map((name) => this.stop(name)));
  }
}
