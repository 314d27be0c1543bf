import type { IAgentRuntime } from '@elizaos/core';
import type { PluginDynamicConfig } from '../config.js';
import { KeyedMutex } from '../shared/keyed-mutex.js';
import { AgentPlugins } from './agent-plugins.js';
import { InstallFlow } from './install-flow.js';
import { createInstallParts, type InstallParts } from './install-parts.js';
import { PluginLoader } from './loader/index.js';
import { ModuleCache } from './module-cache.js';
import { newRecord } from './new-record.js';
import { PluginApprovals } from './permissions/approval-gate.js';
import { Placements } from './placement/placements.js';
import { RestartSupervisor } from './restart-supervisor.js';
import { InstalledPlugins } from './state/installed-plugins.js';
import type { PluginRecord } from './state/plugin-record.js';
import type { PluginSettingsStore } from './state/plugin-settings-store.js';

/** What the parts ask back of the service that owns them. */
export interface ManagementHooks {
  /** The settings store, open once the service has restored its state. */
  settingsStore: () => PluginSettingsStore;
  missingSettings: (record: PluginRecord) => string[];
  /** Activates a plugin again after its host died (a restart keeps the backoff's count). */
  restart: (packageName: string) => Promise<unknown>;
  isStopping: () => boolean;
}

export interface ManagementParts extends InstallParts {
  loader: PluginLoader;
  installed: InstalledPlugins;
  /** The per-plugin lock every operation on a plugin takes. */
  mutex: KeyedMutex;
  modules: ModuleCache;
  agentPlugins: AgentPlugins;
  placements: Placements;
  restarts: RestartSupervisor;
  installs: InstallFlow;
  /** Stored approvals of isolated plugins, and the gate before their hosts start. */
  approvals: PluginApprovals;
}

/** Builds the management service's parts from the settings and wires them to one another. */
export function createManagementParts(runtime: IAgentRuntime, config: PluginDynamicConfig, hooks: ManagementHooks): ManagementParts {
  const installParts = createInstallParts(runtime, config);
  const loader = new PluginLoader(runtime, { loadTimeoutMs: config.loadTimeoutMs, logger: runtime.logger });
  const installed = new InstalledPlugins(runtime);
  const mutex = new KeyedMutex();
  const modules = new ModuleCache();
  const agentPlugins = new AgentPlugins(runtime, loader, installed);
  const approvals = new PluginApprovals(runtime);
  const placements: Placements = new Placements({
    runtime,
    config,
    loader,
    modules,
    settings: hooks.settingsStore,
    approvals,
    onHostDied: (packageName, reason) => void restarts.hostDied(packageName, reason),
    onQuotaExceeded: (packageName, error) => void restarts.stopForGood(packageName, error),
  });
  const restarts = new RestartSupervisor({
    runtime,
    installed,
    mutex,
    maxRestarts: config.hostMaxRestarts,
    baseDelayMs: config.hostRestartDelayMs,
    isStopping: hooks.isStopping,
    clearAfterCrash: (record) => placements.isolated.clearAfterCrash(record),
    spendRestart: (packageName) => placements.budgets.take(packageName, 'restarts'),
    restart: hooks.restart,
  });
  const installs = new InstallFlow({
    ...installParts,
    runtime,
    installed,
    mutex,
    agentPlugins,
    loader,
    modules,
    newRecord: (pkg, source, opts) => newRecord(pkg, source, opts, hooks.missingSettings),
    placementOf: (record) => placements.of(record).placement,
  });
  return { ...installParts, loader, installed, mutex, modules, agentPlugins, placements, restarts, installs, approvals };
}
