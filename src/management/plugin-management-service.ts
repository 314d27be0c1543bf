import { Service, type IAgentRuntime } from '@elizaos/core';
import { tryPluginAction, type ActionTrial } from './try-action.js';
import { loadConfig, type PluginDynamicConfig } from '../config.js';
import { codedError, toPluginDynamicError } from '../errors.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../service-types.js';
import { parseInstallSource } from './install/index.js';
import { parseFleetSource } from './install/parse-install-source.js';
import { installFleetSource } from '../fleet/fleet-source.js';
import type { IsolationMode } from './host/index.js';
import type { ChannelStats } from './host/host-channel.js';
import type { InstallOptions } from './install-options.js';
import { InProcessConfirmations, type Confirmation } from './in-process-confirmation.js';
import { createManagementParts, type ManagementParts } from './management-parts.js';
import type { ApprovalGrant } from './permissions/approval-gate.js';
import type { ApprovalRecord, ApprovalRequest } from './permissions/approval-record.js';
import type { Placement } from './placement/placement.js';
import { permissionRefusals } from './permissions/permission-grants.js';
import { toPluginView, type PluginView } from './plugin-view.js';
import { verifiedSearch, type SearchAnswer } from './registry/index.js';
import { openSettingsStore, restoreInstalled } from './restore-state.js';
import type { PluginRecord } from './state/plugin-record.js';
import type { PluginSettingsStore } from './state/plugin-settings-store.js';
import { pluginLifecycle, type PluginStatus } from './state/plugin-status.js';
import { guardCharacterSecrets } from './secrets/character-guard.js';
import { managedSecretValues, pluginSecretValues } from './secrets/managed-secrets.js';
import { redactComposedState } from './secrets/state-redaction.js';
import type { InstallSource } from './types.js';

export type { SearchAnswer } from './registry/index.js';
export type { InstallOptions } from './install-options.js';

const LOG_SRC = 'plugin-dynamic:management';

/**
 * Manages plugins in the live runtime: registry search, install, configure, activate, deactivate,
 * unload and uninstall, with state kept in the agent's database across restarts. Where a plugin's
 * code runs is its placement (in-process or an isolated host), chosen once per operation.
 */
export class PluginManagementService extends Service {
  static override serviceType = PLUGIN_MANAGEMENT_SERVICE;
  override capabilityDescription =
    'Searches the ElizaOS plugin registry and installs, configures, loads and unloads plugins in the live agent.';

  readonly settings: PluginDynamicConfig;
  /** The registry client, installer, loader, installed records, placements and the rest, wired together. */
  private readonly parts: ManagementParts;
  private settingsStore!: PluginSettingsStore;
  private stopping: Promise<void> | undefined;
  /** Puts the runtime's own composeState back. */
  private stopRedacting: (() => void) | undefined;
  /** Takes the guard off the runtime's character. */
  private stopGuarding: (() => void) | undefined;
  /** The one-time codes that moving a plugin in-process from a scriptable surface needs. */
  readonly confirmations = new InProcessConfirmations();

  constructor(runtime: IAgentRuntime, config?: PluginDynamicConfig) {
    super(runtime);
    this.settings = config ?? loadConfig((key) => runtime.getSetting(key) ?? process.env[key]);
    this.parts = createManagementParts(runtime, this.settings, {
      settingsStore: () => this.settingsStore,
      missingSettings: (record) => this.missingSettings(record),
      restart: (packageName) => this.activate(packageName, { restart: true }),
      isStopping: () => this.stopping !== undefined,
    });
  }

  static override async start(runtime: IAgentRuntime): Promise<PluginManagementService> {
    const service = new PluginManagementService(runtime);
    await service.restore();
    return service;
  }

  /** Reads the stored state, drops plugins whose files vanished, re-activates the active ones. */
  async restore(): Promise<void> {
    const settings = await openSettingsStore(this.runtime, this.settings);
    this.settingsStore = settings.store;
    await this.parts.approvals.load();
    this.stopRedacting ??= redactComposedState(this.runtime, () => this.secretValues());
    // Managed plugins' secrets never stay in the character the runtime shows (character-guard.ts).
    this.stopGuarding ??= guardCharacterSecrets(this.runtime, () =>
      pluginSecretValues(this.runtime, this.parts.installed.all(), this.settingsStore.sensitiveValues()),
    );
    await restoreInstalled({
      runtime: this.runtime,
      installed: this.parts.installed,
      installer: this.parts.installer,
      settingsCorrupt: settings.corrupt,
      sweep: () => this.parts.placements.sweep(),
      missingSettings: (record) => this.missingSettings(record),
      activate: (packageName) => this.activate(packageName),
    });
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
    return verifiedSearch(this.parts.registry, this.parts.v1Verifier, query, opts);
  }

  async registryInfo(word: string, opts: { signal?: AbortSignal } = {}) {
    return this.parts.registry.resolve(word, opts);
  }

  // ---- installed plugins ----

  /** Runs one action of an active installed plugin with a message, answering as the action does (no model needed). */
  async tryAction(input: { action: string; message: string; plugin?: string | undefined }): Promise<ActionTrial> {
    return tryPluginAction(this.runtime, this.list(), input);
  }

  list(): PluginView[] {
    return this.parts.installed.all().map((r) => this.view(r));
  }

  /** The stored records, sorted by package name (the CLI's closed snapshot keeps them beside the views). */
  records(): PluginRecord[] {
    return this.parts.installed.all();
  }

  get(word: string): PluginView {
    return this.view(this.parts.installed.find(word));
  }

  /** Installs from a registry name, `name@range`, `github:owner/repo#ref`, `fleet:name[@version]`, a folder or a tarball. */
  async install(input: string | InstallSource, opts: InstallOptions = {}): Promise<PluginView> {
    opts.signal?.throwIfAborted();
    const fleet = typeof input === 'string' ? parseFleetSource(input) : undefined;
    if (fleet) return installFleetSource(this.runtime, fleet, opts);
    const source =
      typeof input === 'string' ? parseInstallSource(input, { cwd: process.cwd(), allowedRoots: opts.allowedRoots ?? [] }) : input;
    const record = await this.parts.installs.run(source, opts);
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
    const target = this.parts.installed.find(word);
    return this.parts.mutex.run(target.packageName, async () => {
      const record = this.parts.installed.mustGet(target.packageName);
      const declared = new Set(record.settings.map((s) => s.name));
      const unknown = Object.keys(values).filter((name) => !declared.has(name));
      if (unknown.length > 0) {
        throw codedError('UNKNOWN_SETTING', { plugin: record.packageName, unknown: unknown.join(', '), declared: [...declared].join(', ') || 'none' });
      }
      const placement = this.placementOf(record);
      await placement.storeSettings(record, values);
      const missing = this.missingSettings(record, placement);
      let status = record.status;
      if (missing.length === 0 && status === 'needs_configuration') status = 'installed';
      if (missing.length > 0 && pluginLifecycle.canMove(status, 'needs_configuration')) status = 'needs_configuration';
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName, settings: Object.keys(values) }, 'Plugin settings stored.');
      return this.view(await this.parts.installed.put({ ...record, status }));
    });
  }

  /** Loads the plugin into the live runtime, all or nothing. */
  async activate(word: string, opts: { signal?: AbortSignal; restart?: boolean } = {}): Promise<PluginView> {
    const target = this.parts.installed.find(word);
    return this.parts.mutex.run(target.packageName, async () => {
      const record = this.parts.installed.mustGet(target.packageName);
      this.parts.agentPlugins.refuse(record);
      const placement = this.placementOf(record);
      const missing = this.missingSettings(record, placement);
      if (missing.length > 0) {
        if (pluginLifecycle.canMove(record.status, 'needs_configuration')) {
          await this.parts.installed.put({ ...record, status: 'needs_configuration' });
        }
        throw codedError(
          'NEEDS_CONFIGURATION',
          { plugin: record.packageName, action: 'load', problem: `it needs ${missing.join(', ')}; set ${missing.length > 1 ? 'them' : 'it'} with CONFIGURE_PLUGIN` },
          { details: { missing } },
        );
      }
      pluginLifecycle.transition(record.status, 'active', record.packageName);
      if (!opts.restart) this.parts.restarts.reset(record.packageName);
      try {
        await placement.load(record, opts.signal);
      } catch (error) {
        const e = toPluginDynamicError(error, 'LOAD_FAILED');
        // Waiting for a person's approval is not a failure of the plugin: its status stays as it was.
        if (e.code === 'APPROVAL_REQUIRED') throw e;
        await this.parts.installed.put({ ...record, status: 'error', lastError: { code: e.code, message: e.message, at: new Date().toISOString() } });
        this.runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, code: e.code }, e.message);
        throw e;
      }
      const rest: PluginRecord = { ...record };
      delete rest.lastError;
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName }, 'Plugin activated.');
      return this.view(await this.parts.installed.put({ ...rest, status: 'active' }));
    });
  }

  /** Takes the plugin's components out of the runtime and stops its services; keeps the module. */
  async deactivate(word: string): Promise<PluginView> {
    const target = this.parts.agentPlugins.findManaged(word);
    return this.parts.mutex.run(target.packageName, async () => {
      const record = this.parts.installed.mustGet(target.packageName);
      this.parts.agentPlugins.refuse(record);
      pluginLifecycle.transition(record.status, 'inactive', record.packageName);
      const residue = await this.placementOf(record).remove(record);
      return this.view(await this.parts.installed.put({ ...record, status: 'inactive', residue }));
    });
  }

  /** Deactivates if needed and forgets the module, so the next activation imports it afresh. */
  async unload(word: string): Promise<PluginView> {
    const target = this.parts.agentPlugins.findManaged(word);
    return this.parts.mutex.run(target.packageName, async () => {
      const record = this.parts.installed.mustGet(target.packageName);
      this.parts.agentPlugins.refuse(record);
      pluginLifecycle.transition(record.status, 'installed', record.packageName);
      const residue = record.status === 'active' ? await this.placementOf(record).remove(record) : (record.residue ?? []);
      this.parts.modules.forget(record.packageName);
      const status: PluginStatus = this.missingSettings(record).length > 0 ? 'needs_configuration' : 'installed';
      return this.view(await this.parts.installed.put({ ...record, status, residue }));
    });
  }

  /** Unloads if needed, removes the files and the stored settings, and forgets the plugin. */
  async uninstall(word: string): Promise<{ packageName: string; removed: string }> {
    const target = this.parts.agentPlugins.findManaged(word);
    return this.parts.mutex.run(target.packageName, async () => {
      const record = this.parts.installed.mustGet(target.packageName);
      this.parts.agentPlugins.refuse(record);
      if (record.status === 'active') await this.placementOf(record).remove(record);
      this.parts.modules.forget(record.packageName);
      await this.parts.placements.endHost(record.packageName);
      await this.parts.installer.uninstall({ installDir: record.installDir });
      await this.parts.placements.removeData(record.packageName);
      await this.settingsStore.remove(record.packageName);
      await this.parts.approvals.forget(record.packageName);
      await this.parts.installed.remove(record.packageName);
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName }, 'Plugin uninstalled.');
      return { packageName: record.packageName, removed: record.installDir };
    });
  }

  /**
   * Sets where a plugin runs: `isolated`, `in-process`, or `default` (PLUGIN_DYNAMIC_ISOLATION for
   * its trust tier). An active plugin is taken out and loaded again the new way. A request from a
   * surface a script can reach (HTTP, chat, CLI) passes `gate`: moving the plugin into the agent's
   * process then needs its name and the one-time code printed on the agent's terminal.
   */
  async setIsolation(word: string, mode: IsolationMode | 'default', gate?: { confirm: Confirmation | undefined }): Promise<PluginView> {
    const target = this.parts.agentPlugins.findManaged(word);
    const wasActive = await this.parts.mutex.run(target.packageName, async () => {
      const record = this.parts.installed.mustGet(target.packageName);
      this.parts.agentPlugins.refuse(record);
      const next: PluginRecord = { ...record };
      if (mode === 'default') delete next.isolation;
      else next.isolation = mode;
      const placement = this.placementOf(next);
      if (gate && placement.mode === 'in-process' && this.placementOf(record).mode !== 'in-process') {
        this.confirmations.require(record.packageName, gate.confirm);
      }
      const active = record.status === 'active';
      next.residue = active ? await this.placementOf(record).remove(record) : (record.residue ?? []);
      next.status = active ? 'inactive' : record.status;
      this.parts.modules.forget(record.packageName);
      placement.adopt(next);
      await this.parts.installed.put(next);
      this.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName, isolation: placement.mode }, 'Isolation set.');
      return active;
    });
    return wasActive ? this.activate(target.packageName) : this.get(target.packageName);
  }

  /**
   * Approves what a plugin asks for to run isolated (its installed bytes and declared permissions,
   * or the request a rolled-back replace left waiting), then activates it when asked to.
   */
  async approve(word: string, grant: ApprovalGrant & { activate?: boolean }): Promise<{ approval: ApprovalRecord; plugin?: PluginView }> {
    const packageName = this.approvalTarget(word);
    const approval = await this.parts.mutex.run(packageName, () => this.parts.approvals.approve(packageName, this.parts.installed.get(packageName), grant));
    const installed = this.parts.installed.get(packageName);
    if (!installed) return { approval };
    // An approval given ahead of a replace (the request it refused) leaves the running version as it is.
    const activate = grant.activate && installed.status !== 'active' && (await this.parts.approvals.isApproved(installed));
    const plugin = activate ? await this.activate(packageName) : this.view(installed);
    return { approval, plugin };
  }

  /** What a plugin asks for now (a waiting request first; null when its approval covers it), and what was approved. */
  async approvalState(word: string): Promise<{ request: ApprovalRequest | null; approval: ApprovalRecord | null }> {
    const packageName = this.approvalTarget(word);
    const record = this.parts.installed.get(packageName);
    const approval = this.parts.approvals.store.get(packageName) ?? null;
    // A refused request still waiting (a replace that was rolled back) is what there is to answer.
    const waiting = this.parts.approvals.pendingFor(packageName);
    if (!record || waiting) return { request: waiting ?? null, approval };
    const approved = await this.parts.approvals.isApproved(record);
    return { request: approved ? null : await this.parts.approvals.request(record), approval };
  }

  /** Requests refused since the agent started and not answered yet (what "yes" in chat answers). */
  pendingApprovals(): ApprovalRequest[] {
    return this.parts.approvals.pendingRequests();
  }

  /** The installed plugin a word names, or a package whose replace left a request waiting. */
  private approvalTarget(word: string): string {
    return this.parts.approvals.pendingFor(word) && !this.parts.installed.get(word) ? word : this.parts.installed.find(word).packageName;
  }

  /**
   * Every value that must never reach a prompt: the sensitive settings stored here, the live value
   * of any setting an installed plugin declares sensitive, and the character's secrets.
   */
  secretValues(): string[] {
    return managedSecretValues(this.runtime, this.parts.installed.all(), this.settingsStore.sensitiveValues());
  }

  override async stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopRedacting?.();
      this.stopGuarding?.();
      const active = this.parts.installed.all().filter((r) => r.status === 'active');
      // Reverse order of activation is not recorded; take them out one by one, keeping the stored
      // status so the next start re-activates them.
      for (const record of active.reverse()) {
        await this.parts.loader.unload(record.pluginName).catch((error: unknown) => {
          this.runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName }, `Unload at shutdown failed: ${toPluginDynamicError(error).message}`);
        });
      }
      this.parts.restarts.stop();
      await this.parts.placements.endAll();
      await this.parts.installed.flush();
    })();
    return this.stopping;
  }

  /** What an isolated plugin's running host has sent and been sent (channel peaks), if it runs. */
  hostChannelStats(word: string): ChannelStats | undefined {
    return this.parts.placements.channelStats(this.parts.installed.find(word).packageName);
  }

  /** The warm spare plugin host, when one is ready (PLUGIN_DYNAMIC_WARM_HOST): its process, folder and memory. */
  warmSpare(): Promise<{ pid: number | undefined; root: string; rssBytes: number | undefined } | undefined> {
    return this.parts.placements.warmSpare();
  }

  /** Turns the warm spare host off (ended) or on again for this runtime: the benchmark's cold and warm sides. */
  setWarmHosts(on: boolean): Promise<void> {
    return this.parts.placements.setWarmHosts(on);
  }

  // ---- internals ----

  private placementOf(record: PluginRecord): Placement {
    return this.parts.placements.of(record).placement;
  }

  /** What may be shown of the plugin: which settings have a value depends on where it runs. */
  private view(record: PluginRecord): PluginView {
    const { placement, decision } = this.parts.placements.of(record);
    return toPluginView(record, (name) => placement.hasSetting(record, name), decision, permissionRefusals(this.runtime, record.packageName));
  }

  /** Required settings without a value the plugin would see where it runs. */
  private missingSettings(record: PluginRecord, placement = this.placementOf(record)): string[] {
    return record.settings
      .filter((s) => s.required && s.defaultValue === undefined)
      .filter((s) => !placement.hasSetting(record, s.name))
      .map((s) => s.name);
  }
}
