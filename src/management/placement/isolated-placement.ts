import { join } from 'node:path';
import type { IAgentRuntime } from '@elizaos/core';
import { declaredNetworkHosts, readPluginManifest } from '../install/index.js';
import type { IsolatedPlugins } from '../host/index.js';
import { effectivePermissions } from '../permissions/effective-permissions.js';
import { grantPermissions } from '../permissions/permission-grants.js';
import { permittedRecord } from '../permissions/permitted-components.js';
import { readDeclaredPermissions, type PluginPermissions } from '../permissions/plugin-permissions.js';
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
      // What it may do in this activation: granted here, read by every check at the boundary.
      const permissions = await this.permissionsOf(record);
      grantPermissions(this.opts.runtime, record.packageName, permissions, this.opts.runtime.logger);
      const network = { allowedHosts: permissions.network };
      const stub = await this.opts.hosts.start(permittedRecord(this.opts.runtime, record), values, { network, ...signalOpt });
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
   * What an isolated plugin may do: its package.json `agentConfig.permissions` (the least when it
   * declares nothing), its hosts replaced by PLUGIN_DYNAMIC_NETWORK_HOSTS when that names the plugin.
   */
  private async permissionsOf(record: PluginRecord): Promise<PluginPermissions> {
    const { runtime } = this.opts;
    const manifest = await readPluginManifest(join(record.installDir, 'node_modules', record.packageName));
    const declared = readDeclaredPermissions(manifest.agentConfig);
    const network = declaredNetworkHosts(manifest, (key) => runtime.getSetting(key) ?? process.env[key]);
    for (const problem of new Set([...declared.problems, ...network.problems])) runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName }, problem);
    if (network.hosts.length > 0) {
      runtime.logger.info({ src: LOG_SRC, plugin: record.packageName, hosts: network.hosts, from: network.source }, 'The plugin may reach only these hosts, through an egress proxy.');
    }
    return effectivePermissions({ declared, networkHosts: network.hosts });
  }
}
