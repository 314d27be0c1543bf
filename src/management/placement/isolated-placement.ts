import { join } from 'node:path';
import type { IAgentRuntime } from '@elizaos/core';
import { declaredNetworkHosts, readPluginManifest } from '../install/index.js';
import type { IsolatedPlugins } from '../host/index.js';
import type { PluginLoader } from '../loader/index.js';
import type { PluginRecord } from '../state/plugin-record.js';
import type { PluginSettingsStore } from '../state/plugin-settings-store.js';
import type { PluginApprovals } from '../permissions/approval-gate.js';
import { takeOutOfRuntime, type Placement } from './placement.js';

const LOG_SRC = 'plugin-dynamic:management';

export interface IsolatedPlacementOptions {
  runtime: IAgentRuntime;
  loader: PluginLoader;
  hosts: IsolatedPlugins;
  /** The settings store, open once the service has restored its state. */
  settings: () => PluginSettingsStore;
  /** The approval gate: what a person approved for the plugin's installed bytes. */
  approvals: PluginApprovals;
}

/**
 * The plugin runs in a host process of its own (with an egress proxy for the hosts it declares);
 * the loader registers the stubs the host hands back. It sees only the values stored for it, pushed
 * into its host, never the agent's settings map.
 */
export class IsolatedPlacement implements Placement {
  readonly mode = 'isolated' as const;

  constructor(private readonly opts: IsolatedPlacementOptions) {}

  hasSetting(record: PluginRecord, name: string): boolean {
    return this.opts.settings().has(record.packageName, name);
  }

  async storeSettings(record: PluginRecord, values: Record<string, string>): Promise<void> {
    const store = this.opts.settings();
    const declared = new Map(record.settings.map((s) => [s.name, s]));
    for (const [name, value] of Object.entries(values)) {
      await store.set(record.packageName, name, value, declared.get(name)?.sensitive ?? true, { publish: false });
    }
    await this.opts.hosts.pushSettings(record.packageName, store.valuesFor(record.packageName, record.settings));
  }

  adopt(record: PluginRecord): void {
    this.opts.settings().withdraw(record.packageName);
  }

  async load(record: PluginRecord, signal: AbortSignal | undefined): Promise<void> {
    const signalOpt = signal ? { signal } : {};
    const store = this.opts.settings();
    store.withdraw(record.packageName);
    const values = store.valuesFor(record.packageName, record.settings);
    // Refused (APPROVAL_REQUIRED) before any host starts unless a person approved exactly these bytes
    // and these permissions; what it declares is then what was approved (approvals.approvedPermissions).
    await this.opts.approvals.require(record);
    try {
      const network = { allowedHosts: await this.networkHostsOf(record) };
      const stub = await this.opts.hosts.start(record, values, { network, ...signalOpt });
      await this.opts.loader.load(stub, signalOpt);
    } catch (error) {
      await this.opts.hosts.stop(record.packageName);
      throw error;
    }
  }

  async remove(record: PluginRecord): Promise<string[]> {
    const residue = await takeOutOfRuntime(this.opts.loader, record);
    await this.opts.hosts.stop(record.packageName);
    return residue;
  }

  /** Its host died on its own: its stubs leave the runtime (as far as they can) and the host is ended. */
  async clearAfterCrash(record: PluginRecord): Promise<void> {
    if (this.opts.loader.isLoaded(record.pluginName)) await this.opts.loader.unload(record.pluginName).catch(() => undefined);
    await this.opts.hosts.stop(record.packageName);
  }

  /**
   * The hosts an isolated plugin may reach: PLUGIN_DYNAMIC_NETWORK_HOSTS when it names the plugin,
   * else its package.json `agentConfig.permissions.network`; none by default.
   */
  private async networkHostsOf(record: PluginRecord): Promise<string[]> {
    const { runtime } = this.opts;
    const manifest = await readPluginManifest(join(record.installDir, 'node_modules', record.packageName));
    const declared = declaredNetworkHosts(manifest, (key) => runtime.getSetting(key) ?? process.env[key]);
    for (const problem of declared.problems) runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName }, problem);
    if (declared.hosts.length > 0) {
      runtime.logger.info({ src: LOG_SRC, plugin: record.packageName, hosts: declared.hosts, from: declared.source }, 'The plugin may reach only these hosts, through an egress proxy.');
    }
    return declared.hosts;
  }
}
