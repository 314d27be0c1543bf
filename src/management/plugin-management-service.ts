import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Service, type IAgentRuntime, type Plugin } from '@elizaos/core';
import { loadConfig, type PluginDynamicConfig } from '../config.js';
import { PluginDynamicError, toPluginDynamicError } from '../errors.js';
import { KeyedMutex } from '../shared/keyed-mutex.js';
import { bwrapSandbox, bwrapWorks } from '../shared/sandbox/index.js';
import { declaredNetworkHosts, parseInstallSource, PluginInstaller, readPluginManifest } from './install/index.js';
import { hostPluginFor, protectedPluginError } from './install/host-plugin-guard.js';
import { decideIsolation, IsolatedPlugins, RestartBackoff, type IsolationDecision, type IsolationMode } from './host/index.js';
import { importPluginModule, PluginLoader } from './loader/index.js';
import { toPluginView, type PluginView } from './plugin-view.js';
import { npmViewV1 } from './install/npm-view-v1.js';
import { NpmV1Verifier, RegistryClient, verifiedSearch, type SearchAnswer } from './registry/index.js';
import { InstalledPlugins } from './state/installed-plugins.js';
import type { PluginRecord, TrustTier } from './state/plugin-record.js';
import { PluginSettingsStore } from './state/plugin-settings-store.js';
import { pluginLifecycle, type PluginStatus } from './state/plugin-status.js';
import { defaultKeyFile, SecretBox } from './state/secret-box.js';
import { secretList } from './secrets/redact.js';
import { redactComposedState } from './secrets/state-redaction.js';
import type { InstalledPackage, InstallSource } from './types.js';

export type { SearchAnswer } from './registry/index.js';

const LOG_SRC = 'plugin-dynamic:management';

export interface InstallOptions {
  signal?: AbortSignal;
  /** Load it right away when nothing is missing. @default false */
  activate?: boolean;
  /** Overrides the trust tier derived from the source (the creation loop passes 'generated'). */
  trust?: TrustTier;
  /** Recorded as the source instead of the parsed one (the creation loop passes its job id). */
  recordSource?: PluginRecord['source'];
  /** Folders a local folder or tarball may come from, besides the working folder. */
  allowedRoots?: string[];
  /** sha256 of dist/ as a creation job built it; the install is refused when the package differs. */
  shippedHash?: string;
  /**
   * Replace an installed plugin of the same package name. The earlier version stays installed
   * (and loaded, if it was) until the new one is installed and, when it is to be active, loaded.
   * @default false
   */
  replace?: boolean;
}


/**
 * Manages plugins in the live runtime: registry search, install, configure, activate, deactivate,
 * unload and uninstall, with state kept in the agent's database across restarts.
 */
export class PluginManagementService extends Service {
  static override serviceType = 'plugin_management';
  override capabilityDescription =
    'Searches the ElizaOS plugin registry and installs, configures, loads and unloads plugins in the live agent.';

  readonly settings: PluginDynamicConfig;
  private readonly registry: RegistryClient;
  private readonly v1Verifier: NpmV1Verifier;
  private readonly installer: PluginInstaller;
  private readonly loader: PluginLoader;
  private readonly installed: InstalledPlugins;
  private readonly mutex = new KeyedMutex();
  /** Modules imported for plugins that are active or inactive; unload forgets them. */
  private readonly modules = new Map<string, Plugin>();
  /**
   * Every module this process imported, by entry file and its inode, size and times. Node never
   * frees an ES module, so importing an unchanged entry again would only grow the heap (about 1.7 MB
   * per cycle for plugin-bootstrap); a changed file (a rebuild, a reinstall) is imported afresh.
   */
  private readonly imported = new Map<string, Plugin>();
  private generation = 0;
  private settingsStore!: PluginSettingsStore;
  /** Plugins the host registered before this service started: never unloaded from here. */
  private readonly protectedPlugins: Set<string>;
  private stopping: Promise<void> | undefined;
  /** Puts the runtime's own composeState back. */
  private stopRedacting: (() => void) | undefined;
  /** Host processes of isolated plugins. */
  private readonly isolated: IsolatedPlugins;
  private readonly restarts: RestartBackoff;
  private readonly restartTimers = new Set<NodeJS.Timeout>();

  constructor(runtime: IAgentRuntime, config?: PluginDynamicConfig) {
    super(runtime);
    this.settings = config ?? loadConfig((key) => runtime.getSetting(key) ?? process.env[key]);
    this.protectedPlugins = new Set([...runtime.plugins.map((p) => p.name), 'plugin-dynamic']);
    this.registry = new RegistryClient({
      url: this.settings.registryUrl,
      cacheFile: join(this.settings.dataDir, 'cache', 'registry.json'),
      ttlMs: this.settings.registryCacheTtlMs,
      timeoutMs: this.settings.registryTimeoutMs,
      logger: runtime.logger,
    });
    this.installer = new PluginInstaller({
      dataDir: this.settings.dataDir,
      timeoutMs: this.settings.installTimeoutMs,
      outputCapBytes: this.settings.outputCapBytes,
      allowInstallScripts: this.settings.allowInstallScripts,
      // An install takes only the name the user wrote (or the CLI's variants of it); a near name is suggested.
      resolveRegistryEntry: (name, signal) => this.registry.resolve(name, { fuzzy: false, ...(signal ? { signal } : {}) }),
      sandbox: () => this.npmSandbox(),
    });
    this.v1Verifier = new NpmV1Verifier({
      view: async (name, signal) =>
        npmViewV1(name, {
          cwd: join(this.settings.dataDir, 'cache', 'npm-view'),
          dataDir: this.settings.dataDir,
          timeoutMs: this.settings.registryTimeoutMs,
          outputCapBytes: this.settings.outputCapBytes,
          signal,
          ...(await this.npmSandbox().then((sandbox) => (sandbox ? { sandbox } : {}))),
        }),
      timeoutMs: this.settings.registryTimeoutMs * 2,
    });
    this.loader = new PluginLoader(runtime, { loadTimeoutMs: this.settings.loadTimeoutMs, logger: runtime.logger });
    this.installed = new InstalledPlugins(runtime);
    this.isolated = new IsolatedPlugins({
      runtime,
      logger: runtime.logger,
      dataDir: this.settings.dataDir,
      sandbox: this.settings.sandbox,
      bounds: { memoryBytes: this.settings.hostMemoryMb * 1024 * 1024, maxProcesses: this.settings.hostMaxProcesses },
      callTimeoutMs: this.settings.hostCallTimeoutMs,
      startTimeoutMs: this.settings.loadTimeoutMs,
      maxModelCalls: this.settings.hostMaxModelCalls,
      outputCapBytes: this.settings.outputCapBytes,
      onHostDied: (packageName, reason) => void this.onHostDied(packageName, reason),
    });
    this.restarts = new RestartBackoff({ maxRestarts: this.settings.hostMaxRestarts, baseDelayMs: this.settings.hostRestartDelayMs });
  }

  static override async start(runtime: IAgentRuntime): Promise<PluginManagementService> {
    const service = new PluginManagementService(runtime);
    await service.restore();
    return service;
  }

  /** Reads the stored state, drops plugins whose files vanished, re-activates the active ones. */
  async restore(): Promise<void> {
    const box = await SecretBox.open({
      secretKey: this.settings.secretKey,
      keyFile: defaultKeyFile(this.settings.dataDir),
    });
    this.settingsStore = new PluginSettingsStore(this.runtime, box);
    const settingsCorrupt = await this.settingsStore.load();
    this.stopRedacting ??= redactComposedState(this.runtime, () => this.secretValues());
    await this.isolated.sweepEgress();
    const corrupt = await this.installed.load();
    if (corrupt.count > 0 || settingsCorrupt.corrupt > 0) {
      this.runtime.logger.warn(
        { src: LOG_SRC, movedTo: corrupt.movedTo, reasons: corrupt.reasons },
        `[STATE_CORRUPT] ${corrupt.count + settingsCorrupt.corrupt} stored record(s) were unreadable and moved aside; the rest were kept.`,
      );
    }
    for (const record of this.installed.all()) {
      if (!existsSync(record.installDir)) {
        this.runtime.logger.warn(
          { src: LOG_SRC, plugin: record.packageName, installDir: record.installDir },
          'Installed plugin folder is gone; forgetting it.',
        );
        await this.installed.remove(record.packageName);
        continue;
      }
      if (!(await this.restoreFiles(record))) continue;
      const wasActive = record.status === 'active';
      // A plugin the user deactivated stays deactivated (and says so) across a restart.
      const status: PluginStatus =
        this.missingSettings(record).length > 0 ? 'needs_configuration' : record.status === 'inactive' ? 'inactive' : 'installed';
      await this.installed.put({ ...record, status });
      if (wasActive && status === 'installed') {
        try {
          await this.activate(record.packageName);
        } catch (error) {
          this.runtime.logger.warn(
            { src: LOG_SRC, plugin: record.packageName, code: toPluginDynamicError(error).code },
            `Could not re-activate after restart: ${toPluginDynamicError(error).message}`,
          );
        }
      }
    }
  }

  /**
   * Reinstalls a plugin's packages from its lockfile when its folder lost them (node_modules deleted,
   * the data folder copied without it). False when that failed: the plugin is left in `error`.
   */
  private async restoreFiles(record: PluginRecord): Promise<boolean> {
    try {
      if (await this.installer.restore(record)) {
        this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName }, 'Reinstalled the plugin from its lockfile.');
      }
      return true;
    } catch (error) {
      const e = toPluginDynamicError(error, 'RESTORE_FAILED');
      this.runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, code: e.code }, e.message);
      await this.installed.put({ ...record, status: 'error', lastError: { code: e.code, message: e.message, at: new Date().toISOString() } });
      return false;
    }
  }

  // ---- registry ----

  /**
   * Registry matches. With `v1Only`, only entries npm confirms have a usable 1.x release are
   * offered (see verifiedSearch); `verify: 'cached'` answers at once from what is already checked.
   */
  async search(
    query: string,
    opts: { limit?: number; v1Only?: boolean; signal?: AbortSignal; verify?: 'npm' | 'cached' } = {},
  ): Promise<SearchAnswer> {
    return verifiedSearch(this.registry, this.v1Verifier, query, opts);
  }

  private async npmSandbox() {
    return this.settings.sandbox !== 'none' && (await bwrapWorks()) ? bwrapSandbox : undefined;
  }

  async registryInfo(word: string, opts: { signal?: AbortSignal } = {}) {
    return this.registry.resolve(word, opts);
  }

  // ---- installed plugins ----

  list(): PluginView[] {
    return this.installed.all().map((r) => this.view(r));
  }

  get(word: string): PluginView {
    return this.view(this.installed.find(word));
  }

  /** Installs from a registry name, `name@range`, `github:owner/repo#ref`, a folder or a tarball. */
  async install(input: string | InstallSource, opts: InstallOptions = {}): Promise<PluginView> {
    opts.signal?.throwIfAborted();
    const source =
      typeof input === 'string'
        ? parseInstallSource(input, { cwd: process.cwd(), allowedRoots: opts.allowedRoots ?? [] })
        : input;
    const lockKey = source.kind === 'registry' || source.kind === 'npm' ? source.name : JSON.stringify(source);
    const record = await this.mutex.run(`install:${lockKey}`, async () => {
      // Checked before anything is written: a host plugin, or a plugin installed already.
      const named = await this.packageNameOf(source, opts.signal);
      if (named) this.refuseHostPlugin(named);
      const previous = named ? this.installed.get(named) : undefined;
      if (previous && !opts.replace) throw this.alreadyInstalled(previous);
      if (previous) return this.mutex.run(previous.packageName, () => this.replaceInstalled(previous, source, opts));
      const pkg = await this.installPackage(source, opts, lockKey);
      const host = hostPluginFor(pkg.pluginName, this.protectedPlugins);
      const existing = this.installed.get(pkg.packageName);
      if (host || existing) {
        await this.installer.uninstall(pkg).catch(() => undefined);
        throw existing ? this.alreadyInstalled(existing) : protectedPluginError(pkg.packageName, host ?? pkg.pluginName);
      }
      return this.installed.put(this.newRecord(pkg, source, opts));
    });
    if (record.status === 'active') return this.view(record);
    this.runtime.logger.info(
      { src: LOG_SRC, plugin: record.packageName, version: record.version },
      `Installed ${record.packageName}@${record.version} (${record.status}).`,
    );
    if (opts.activate && record.status === 'installed') return this.activate(record.packageName, opts);
    return this.view(record);
  }

  /** Stores setting values; sensitive ones are encrypted and never shown again. */
  async configure(word: string, values: Record<string, string>): Promise<PluginView> {
    const target = this.installed.find(word);
    return this.mutex.run(target.packageName, async () => {
      const record = this.mustGet(target.packageName);
      const declared = new Map(record.settings.map((s) => [s.name, s]));
      const unknown = Object.keys(values).filter((name) => !declared.has(name));
      if (unknown.length > 0) {
        throw new PluginDynamicError(
          'UNKNOWN_SETTING',
          `${record.packageName} has no setting ${unknown.join(', ')}. Its settings: ${[...declared.keys()].join(', ') || 'none'}.`,
        );
      }
      for (const [name, value] of Object.entries(values)) {
        await this.settingsStore.set(record.packageName, name, value, declared.get(name)?.sensitive ?? true, {
          global: !this.isIsolated(record),
        });
      }
      if (this.isIsolated(record)) {
        await this.isolated.pushSettings(record.packageName, this.settingsStore.valuesFor(record.packageName, record.settings));
      }
      const missing = this.missingSettings(record);
      let status = record.status;
      if (missing.length === 0 && status === 'needs_configuration') status = 'installed';
      if (missing.length > 0 && pluginLifecycle.canMove(status, 'needs_configuration')) status = 'needs_configuration';
      this.runtime.logger.info(
        { src: LOG_SRC, plugin: record.packageName, settings: Object.keys(values) },
        'Plugin settings stored.',
      );
      return this.view(await this.installed.put({ ...record, status }));
    });
  }

  /** Loads the plugin into the live runtime, all or nothing. */
  async activate(word: string, opts: { signal?: AbortSignal; restart?: boolean } = {}): Promise<PluginView> {
    const target = this.installed.find(word);
    return this.mutex.run(target.packageName, async () => {
      const record = this.mustGet(target.packageName);
      this.refuseProtected(record);
      const missing = this.missingSettings(record);
      if (missing.length > 0) {
        if (pluginLifecycle.canMove(record.status, 'needs_configuration')) {
          await this.installed.put({ ...record, status: 'needs_configuration' });
        }
        throw new PluginDynamicError(
          'NEEDS_CONFIGURATION',
          `${record.packageName} needs ${missing.join(', ')} before it can load. Set ${missing.length > 1 ? 'them' : 'it'} with CONFIGURE_PLUGIN.`,
          { details: { missing } },
        );
      }
      pluginLifecycle.transition(record.status, 'active', record.packageName);
      const isolated = this.isIsolated(record);
      if (!opts.restart) this.restarts.reset(record.packageName);
      try {
        await this.loadInRuntime(record, opts.signal);
      } catch (error) {
        if (isolated) await this.isolated.stop(record.packageName);
        const e = toPluginDynamicError(error, 'LOAD_FAILED');
        await this.installed.put({
          ...record,
          status: 'error',
          lastError: { code: e.code, message: e.message, at: new Date().toISOString() },
        });
        this.runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, code: e.code }, e.message);
        throw e;
      }
      const rest: PluginRecord = { ...record };
      delete rest.lastError;
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName }, 'Plugin activated.');
      return this.view(await this.installed.put({ ...rest, status: 'active' }));
    });
  }

  /**
   * Puts the plugin into the runtime the way its isolation says: isolated, in a host process of its
   * own (with an egress proxy for the hosts it declares) whose stubs the loader registers; in-process,
   * its module through the loader. A failure leaves no host or proxy behind.
   */
  private async loadInRuntime(record: PluginRecord, signal: AbortSignal | undefined): Promise<void> {
    const signalOpt = signal ? { signal } : {};
    if (!this.isIsolated(record)) {
      this.settingsStore.applyTo(record.packageName);
      await this.loader.load(await this.moduleFor(record), signalOpt);
      return;
    }
    this.settingsStore.withdraw(record.packageName);
    const values = this.settingsStore.valuesFor(record.packageName, record.settings);
    try {
      const network = { allowedHosts: await this.networkHostsOf(record) };
      const stub = await this.isolated.start(record, values, { network, ...signalOpt });
      await this.loader.load(stub, signalOpt);
    } catch (error) {
      await this.isolated.stop(record.packageName);
      throw error;
    }
  }

  /**
   * The hosts an isolated plugin may reach: PLUGIN_DYNAMIC_NETWORK_HOSTS when it names the plugin,
   * else its package.json `agentConfig.permissions.network`; none by default.
   */
  private async networkHostsOf(record: PluginRecord): Promise<string[]> {
    const manifest = await readPluginManifest(join(record.installDir, 'node_modules', record.packageName));
    const declared = declaredNetworkHosts(manifest, (key) => this.runtime.getSetting(key) ?? process.env[key]);
    for (const problem of declared.problems) this.runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName }, problem);
    if (declared.hosts.length > 0) {
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName, hosts: declared.hosts, from: declared.source }, 'The plugin may reach only these hosts, through an egress proxy.');
    }
    return declared.hosts;
  }

  /** Takes the plugin's components out of the runtime and stops its services; keeps the module. */
  async deactivate(word: string): Promise<PluginView> {
    const target = this.findManaged(word);
    return this.mutex.run(target.packageName, async () => {
      const record = this.mustGet(target.packageName);
      this.refuseProtected(record);
      pluginLifecycle.transition(record.status, 'inactive', record.packageName);
      const residue = await this.removeFromRuntime(record);
      return this.view(await this.installed.put({ ...record, status: 'inactive', residue }));
    });
  }

  /** Deactivates if needed and forgets the module, so the next activation imports it afresh. */
  async unload(word: string): Promise<PluginView> {
    const target = this.findManaged(word);
    return this.mutex.run(target.packageName, async () => {
      const record = this.mustGet(target.packageName);
      this.refuseProtected(record);
      pluginLifecycle.transition(record.status, 'installed', record.packageName);
      const residue = record.status === 'active' ? await this.removeFromRuntime(record) : (record.residue ?? []);
      this.modules.delete(record.packageName);
      const status: PluginStatus = this.missingSettings(record).length > 0 ? 'needs_configuration' : 'installed';
      return this.view(await this.installed.put({ ...record, status, residue }));
    });
  }

  /** Unloads if needed, removes the files and the stored settings, and forgets the plugin. */
  async uninstall(word: string): Promise<{ packageName: string; removed: string }> {
    const target = this.findManaged(word);
    return this.mutex.run(target.packageName, async () => {
      const record = this.mustGet(target.packageName);
      this.refuseProtected(record);
      if (record.status === 'active') await this.removeFromRuntime(record);
      this.modules.delete(record.packageName);
      await this.isolated.stop(record.packageName);
      await this.installer.uninstall({ installDir: record.installDir });
      await this.isolated.removeData(record.packageName);
      await this.settingsStore.remove(record.packageName);
      await this.installed.remove(record.packageName);
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName }, 'Plugin uninstalled.');
      return { packageName: record.packageName, removed: record.installDir };
    });
  }

  /**
   * Every value that must never reach a prompt: the sensitive settings stored here, the live value
   * of any setting an installed plugin declares sensitive, and the character's secrets.
   */
  secretValues(): string[] {
    const declared = this.installed
      .all()
      .flatMap((r) => r.settings.filter((s) => s.sensitive).map((s) => this.runtime.getSetting(s.name)));
    const character = Object.values(this.runtime.character.secrets ?? {});
    return secretList([...this.settingsStore.sensitiveValues(), ...declared, ...character]);
  }

  override async stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopRedacting?.();
      const active = this.installed.all().filter((r) => r.status === 'active');
      // Reverse order of activation is not recorded; take them out one by one, keeping the stored
      // status so the next start re-activates them.
      for (const record of active.reverse()) {
        await this.loader.unload(record.pluginName).catch((error: unknown) => {
          this.runtime.logger.warn(
            { src: LOG_SRC, plugin: record.packageName },
            `Unload at shutdown failed: ${toPluginDynamicError(error).message}`,
          );
        });
      }
      for (const timer of this.restartTimers) clearTimeout(timer);
      this.restartTimers.clear();
      await this.isolated.stopAll();
      await this.installed.flush();
    })();
    return this.stopping;
  }

  // ---- internals ----

  /** The package a source will install, when it can be known before anything is fetched or written. */
  private async packageNameOf(source: InstallSource, signal: AbortSignal | undefined): Promise<string | undefined> {
    switch (source.kind) {
      case 'npm':
        return source.name;
      case 'registry':
        return (await this.registry.resolve(source.name, { fuzzy: false, ...(signal ? { signal } : {}) })).name;
      case 'folder':
        return (await readPluginManifest(source.path)).name;
      default:
        return undefined;
    }
  }

  private refuseHostPlugin(packageName: string): void {
    const host = hostPluginFor(packageName, this.protectedPlugins);
    if (host) throw protectedPluginError(packageName, host);
  }

  private alreadyInstalled(existing: PluginRecord): PluginDynamicError {
    return new PluginDynamicError(
      'ALREADY_INSTALLED',
      `${existing.packageName} ${existing.version} is installed already; uninstall it first, or ask to replace it.`,
      { details: { packageName: existing.packageName, version: existing.version } },
    );
  }

  /**
   * Installs a new version over an installed plugin without losing the earlier one on the way: its
   * folder is moved aside, the new version installed, the earlier one taken out of the runtime and
   * the new one loaded; if any of that fails the earlier folder, module and state come back.
   */
  /** The installer's work, its refusal logged here, where it is decided (install policy, sandbox, Node). */
  private installPackage(source: InstallSource, opts: InstallOptions, label: string): ReturnType<PluginInstaller['install']> {
    return this.installer
      .install(source, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.shippedHash ? { shippedHash: opts.shippedHash } : {}),
      })
      .catch((error: unknown) => {
        const e = toPluginDynamicError(error);
        this.runtime.logger.warn({ src: LOG_SRC, source: label, code: e.code }, `[${e.code}] Install refused: ${e.message}`);
        throw error;
      });
  }

  private async replaceInstalled(previous: PluginRecord, source: InstallSource, opts: InstallOptions): Promise<PluginRecord> {
    this.refuseProtected(previous);
    const aside = `${previous.installDir}.previous-${randomBytes(4).toString('hex')}`;
    await rename(previous.installDir, aside);
    const putBack = () => rename(aside, previous.installDir);
    let pkg: InstalledPackage;
    try {
      pkg = await this.installPackage(source, opts, previous.packageName);
    } catch (error) {
      await putBack();
      throw error;
    }
    if (pkg.packageName !== previous.packageName) {
      await this.installer.uninstall(pkg);
      await putBack();
      throw new PluginDynamicError('INVALID_SOURCE', `The new package is ${pkg.packageName}, not ${previous.packageName}; nothing was replaced.`);
    }
    const wasActive = previous.status === 'active' && this.loader.isLoaded(previous.pluginName);
    const earlierModule = this.modules.get(previous.packageName);
    const fresh = this.newRecord(pkg, source, opts);
    const load = (opts.activate ?? wasActive) && fresh.status === 'installed';
    if (wasActive) await this.removeFromRuntime(previous);
    this.modules.delete(previous.packageName);
    try {
      // The same path as activate: a host for an isolated plugin (generated ones are, by default).
      if (load) await this.loadInRuntime({ ...fresh, ...(previous.isolation ? { isolation: previous.isolation } : {}) }, opts.signal);
    } catch (error) {
      const e = toPluginDynamicError(error, 'LOAD_FAILED');
      this.modules.delete(previous.packageName);
      await this.installer.uninstall(pkg);
      await putBack();
      if (earlierModule) this.modules.set(previous.packageName, earlierModule);
      if (wasActive) await this.loadInRuntime(previous, undefined).catch(() => undefined);
      throw new PluginDynamicError(e.code, `${e.message} The earlier ${previous.packageName}@${previous.version} was kept.`, { cause: e });
    }
    const record = await this.installed.put({
      ...fresh,
      ...(previous.isolation ? { isolation: previous.isolation } : {}),
      installedAt: previous.installedAt,
      status: load ? 'active' : fresh.status,
    });
    await rm(aside, { recursive: true, force: true });
    this.runtime.logger.info(
      { src: LOG_SRC, plugin: record.packageName, from: previous.version, to: record.version },
      `Replaced ${record.packageName}@${previous.version} with ${record.version}.`,
    );
    return record;
  }

  private view(record: PluginRecord): PluginView {
    const storedOnly = this.isIsolated(record);
    return toPluginView(record, (name) => this.settingsStore.isSet(record.packageName, name, { storedOnly }), this.isolationOf(record));
  }

  /** Where the plugin's code runs: its own override, else PLUGIN_DYNAMIC_ISOLATION for its trust tier. */
  private isolationOf(record: PluginRecord): IsolationDecision {
    return decideIsolation(this.settings.isolation, record.trust, record.isolation);
  }

  private isIsolated(record: PluginRecord): boolean {
    return this.isolationOf(record).mode === 'isolated';
  }

  private mustGet(packageName: string): PluginRecord {
    const record = this.installed.get(packageName);
    if (!record) throw new PluginDynamicError('NOT_INSTALLED', `${packageName} is not installed.`);
    return record;
  }

  private missingSettings(record: PluginRecord): string[] {
    return record.settings
      .filter((s) => s.required && s.defaultValue === undefined)
      .filter((s) => !this.settingsStore.isSet(record.packageName, s.name, { storedOnly: this.isIsolated(record) }))
      .map((s) => s.name);
  }

  /** Like installed.find, but a plugin the host registered at start-up gets PROTECTED_PLUGIN. */
  private findManaged(word: string): PluginRecord {
    const hostPlugin = this.runtime.plugins.find((p) => p.name === word && this.protectedPlugins.has(p.name));
    if (hostPlugin && !this.installed.all().some((r) => r.pluginName === word || r.packageName === word)) {
      throw new PluginDynamicError(
        'PROTECTED_PLUGIN',
        `${word} was registered when the agent started; it cannot be unloaded at runtime.`,
      );
    }
    return this.installed.find(word);
  }

  private refuseProtected(record: PluginRecord): void {
    if (this.protectedPlugins.has(record.pluginName) && !this.loader.isLoaded(record.pluginName)) {
      throw new PluginDynamicError(
        'PROTECTED_PLUGIN',
        `${record.pluginName} was registered when the agent started; it cannot be managed at runtime.`,
      );
    }
  }

  private async moduleFor(record: PluginRecord): Promise<Plugin> {
    const cached = this.modules.get(record.packageName);
    if (cached) return cached;
    const info = await stat(record.entry);
    // npm gives every unpacked file the same fixed mtime: the inode and change time tell a reinstall apart.
    const key = `${record.entry}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const plugin = this.imported.get(key) ?? (await importPluginModule(record.entry, ++this.generation));
    this.imported.set(key, plugin);
    this.modules.set(record.packageName, plugin);
    return plugin;
  }

  /** Takes the plugin out of the runtime (stubs included) and ends its host when it has one. */
  private async removeFromRuntime(record: PluginRecord): Promise<string[]> {
    if (!this.loader.isLoaded(record.pluginName)) {
      await this.isolated.stop(record.packageName);
      return record.residue ?? [];
    }
    const report = await this.loader.unload(record.pluginName);
    await this.isolated.stop(record.packageName);
    return report.residue;
  }

  /**
   * A host died on its own: its stubs leave the runtime, the plugin moves to `error` naming the
   * reason, and it is started again after a growing delay until the restart limit, then left in error.
   */
  private async onHostDied(packageName: string, reason: string): Promise<void> {
    await this.mutex.run(packageName, async () => {
      const record = this.installed.get(packageName);
      if (!record || record.status !== 'active' || this.stopping) return;
      if (this.loader.isLoaded(record.pluginName)) await this.loader.unload(record.pluginName).catch(() => undefined);
      await this.isolated.stop(packageName);
      await this.scheduleRestart(record, `${packageName}'s host ${reason}.`);
    });
  }

  /** Records the failure in `error` and starts the plugin again after the next backoff delay, if any is left. */
  private async scheduleRestart(record: PluginRecord, message: string): Promise<void> {
    const delay = this.restarts.next(record.packageName);
    const next = delay === undefined ? ` It was restarted ${this.restarts.count(record.packageName)} time(s); it stays in error.` : ` Restarting in ${delay} ms.`;
    const current = this.installed.get(record.packageName) ?? record;
    await this.installed.put({ ...current, status: 'error', lastError: { code: 'HOST_DIED', message: message + next, at: new Date().toISOString() } });
    this.runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, code: 'HOST_DIED' }, message + next);
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      void this.restartAfterCrash(record.packageName);
    }, delay);
    timer.unref();
    this.restartTimers.add(timer);
  }

  private async restartAfterCrash(packageName: string): Promise<void> {
    const record = this.installed.get(packageName);
    if (!record || record.status !== 'error' || record.lastError?.code !== 'HOST_DIED' || this.stopping) return;
    try {
      await this.activate(packageName, { restart: true });
      this.runtime.logger.info({ src: LOG_SRC, plugin: packageName }, 'Restarted after its host died.');
    } catch (error) {
      const e = toPluginDynamicError(error);
      const failed = this.installed.get(packageName);
      if (!failed || failed.status !== 'error' || this.stopping) return;
      await this.mutex.run(packageName, () => this.scheduleRestart(failed, `${packageName} could not be restarted: ${e.message.replace(/\.?$/, '.')}`));
    }
  }

  /**
   * Sets where a plugin runs: `isolated`, `in-process`, or `default` (PLUGIN_DYNAMIC_ISOLATION for
   * its trust tier). An active plugin is taken out and loaded again the new way.
   */
  async setIsolation(word: string, mode: IsolationMode | 'default'): Promise<PluginView> {
    const target = this.findManaged(word);
    const wasActive = await this.mutex.run(target.packageName, async () => {
      const record = this.mustGet(target.packageName);
      this.refuseProtected(record);
      const active = record.status === 'active';
      const residue = active ? await this.removeFromRuntime(record) : record.residue ?? [];
      this.modules.delete(record.packageName);
      const next: PluginRecord = { ...record, residue, status: active ? 'inactive' : record.status };
      if (mode === 'default') delete next.isolation;
      else next.isolation = mode;
      if (this.isIsolated(next)) this.settingsStore.withdraw(next.packageName);
      await this.installed.put(next);
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName, isolation: this.isolationOf(next).mode }, 'Isolation set.');
      return active;
    });
    return wasActive ? this.activate(target.packageName) : this.get(target.packageName);
  }

  private newRecord(pkg: InstalledPackage, source: InstallSource, opts: InstallOptions): PluginRecord {
    const now = new Date().toISOString();
    // A package from the npm registry (a registry name, or name@range) is a registry plugin; a folder, a tarball or git is the user's own source.
    const trust: TrustTier = opts.trust ?? (source.kind === 'registry' || source.kind === 'npm' ? 'registry' : 'user-source');
    const record: PluginRecord = {
      packageName: pkg.packageName,
      pluginName: pkg.pluginName,
      version: pkg.version,
      source: opts.recordSource ?? source,
      trust,
      installDir: pkg.installDir,
      entry: pkg.entry,
      status: 'installed',
      settings: pkg.settings.map((s) => ({
        name: s.name,
        description: s.description,
        required: s.required,
        sensitive: s.sensitive,
        ...(s.defaultValue === undefined ? {} : { defaultValue: s.defaultValue }),
      })),
      components: pkg.components,
      installedAt: now,
      updatedAt: now,
    };
    return this.missingSettings(record).length > 0 ? { ...record, status: 'needs_configuration' } : record;
  }
}
