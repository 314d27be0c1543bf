import type { IAgentRuntime } from '@elizaos/core';
import type { PluginDynamicConfig } from '../../config.js';
import type { PluginDynamicError } from '../../errors.js';
import { join } from 'node:path';
import { HEADLESS_SETTING } from '../../shared/agent-lock.js';
import { IsolatedPlugins } from '../host/index.js';
import type { ChannelStats } from '../host/host-channel.js';
import { DAY_MS, HOUR_MS, PluginBudgets, type BudgetLimits } from '../host/plugin-budgets.js';
import type { IsolationMode } from '../host/isolation.js';
import type { PluginLoader } from '../loader/index.js';
import { grantedPermissions } from '../permissions/permission-grants.js';
import type { ModuleCache } from '../module-cache.js';
import type { PluginApprovals } from '../permissions/approval-gate.js';
import type { PluginRecord } from '../state/plugin-record.js';
import type { PluginSettingsStore } from '../state/plugin-settings-store.js';
import { choosePlacement, type ChosenPlacement } from './choose-placement.js';
import { InProcessPlacement } from './in-process-placement.js';
import { IsolatedPlacement } from './isolated-placement.js';
import type { Placement } from './placement.js';

export interface PlacementsOptions {
  runtime: IAgentRuntime;
  config: PluginDynamicConfig;
  loader: PluginLoader;
  modules: ModuleCache;
  settings: () => PluginSettingsStore;
  /** The approval gate isolated plugins pass before their host starts. */
  approvals: PluginApprovals;
  /** A host ended without being asked to; the owner decides about status and restarts. */
  onHostDied: (packageName: string, reason: string) => void;
  /** A plugin went over its storage quota; the owner stops it. */
  onQuotaExceeded: (packageName: string, error: PluginDynamicError) => void;
}

/**
 * The budgets of isolated plugins: model calls per hour as configured (ten times that per day),
 * forwarded runtime calls per minute and per day, restarts per hour and per day.
 */
export function budgetLimits(config: Pick<PluginDynamicConfig, 'hostMaxModelCalls'>): BudgetLimits {
  return {
    modelCalls: [
      { limit: config.hostMaxModelCalls, windowMs: HOUR_MS },
      { limit: config.hostMaxModelCalls * 10, windowMs: DAY_MS },
    ],
    forwardedCalls: [
      { limit: 6_000, windowMs: 60_000 },
      { limit: 1_000_000, windowMs: DAY_MS },
    ],
    restarts: [
      { limit: 10, windowMs: HOUR_MS },
      { limit: 40, windowMs: DAY_MS },
    ],
  };
}

/** A spare host nobody took within this is ended; the next isolated activation starts another. */
export const WARM_HOST_IDLE_MS = 10 * 60_000;
/**
 * What a warm host loads before it is given a plugin: @elizaos/core, which most plugins import (the
 * same file theirs resolves to: the agent's own copy, which the installer insists on).
 */
export const WARM_HOST_PRELOAD = ['@elizaos/core'];

/**
 * Whether this runtime keeps a warm host: the setting, and never in the CLI's headless runtime, which
 * ends with its command (`list`, `jobs`, `status` and the rest).
 */
export function keepsWarmHost(runtime: Pick<IAgentRuntime, 'getSetting'>, config: Pick<PluginDynamicConfig, 'warmHost'>): boolean {
  const headless = runtime.getSetting(HEADLESS_SETTING);
  return config.warmHost && headless !== 'true' && headless !== true;
}

/** Both placements, the host processes behind the isolated one, and the choice between them. */
export class Placements {
  readonly isolated: IsolatedPlacement;
  /** Per-plugin budgets of isolated plugins, kept under the data folder across host and agent restarts. */
  readonly budgets: PluginBudgets;
  private readonly byMode: Readonly<Record<IsolationMode, Placement>>;
  private readonly hosts: IsolatedPlugins;

  constructor(private readonly opts: PlacementsOptions) {
    const { runtime, config, loader, modules, settings } = opts;
    this.budgets = new PluginBudgets(
      join(config.dataDir, 'budgets'),
      budgetLimits(config),
      (plugin, error) => {
        runtime.logger.warn({ src: 'plugin-dynamic:host', plugin }, `Could not store the plugin's budget counts: ${error instanceof Error ? error.message : String(error)}`);
      },
      // Model calls: at most what the plugin declared per hour (never more than the agent's bound).
      (plugin, kind) => (kind === 'modelCalls' ? grantedPermissions(runtime, plugin).modelCallsPerHour : undefined),
    );
    this.hosts = new IsolatedPlugins({
      runtime,
      logger: runtime.logger,
      dataDir: config.dataDir,
      sandbox: config.sandbox,
      bounds: { memoryBytes: config.hostMemoryMb * 1024 * 1024, maxProcesses: config.hostMaxProcesses },
      callTimeoutMs: config.hostCallTimeoutMs,
      startTimeoutMs: config.loadTimeoutMs,
      budgets: this.budgets,
      outputCapBytes: config.outputCapBytes,
      onHostDied: opts.onHostDied,
      storageMb: config.pluginStorageMb,
      onQuotaExceeded: opts.onQuotaExceeded,
      ...(keepsWarmHost(runtime, config) ? { warm: { preload: WARM_HOST_PRELOAD, idleMs: WARM_HOST_IDLE_MS } } : {}),
    });
    this.isolated = new IsolatedPlacement({ runtime, loader, hosts: this.hosts, settings, approvals: opts.approvals });
    this.byMode = { isolated: this.isolated, 'in-process': new InProcessPlacement({ runtime, loader, modules, settings }) };
  }

  /** Where this plugin runs now, decided once for the operation at hand. */
  of(record: Pick<PluginRecord, 'trust' | 'isolation'>): ChosenPlacement {
    return choosePlacement(this.opts.config.isolation, record, this.byMode);
  }

  /** Removes what proxies of an earlier agent process left behind. Call once at start. */
  sweep(): Promise<void> {
    return this.hosts.sweepEgress();
  }

  /** What the running host's channel saw (requests, queue and unsent-answer peaks), if one runs. */
  channelStats(packageName: string): ChannelStats | undefined {
    return this.hosts.channelStats(packageName);
  }

  /** The warm spare host, when one is ready (for tests and the benchmark). */
  warmSpare(): Promise<{ pid: number | undefined; root: string; rssBytes: number | undefined } | undefined> {
    return this.hosts.warm?.ready() ?? Promise.resolve(undefined);
  }

  /** Turns the spare host off or on again for this runtime (the benchmark's cold and warm sides); nothing when warm hosts are off. */
  async setWarmHosts(on: boolean): Promise<void> {
    await this.hosts.warm?.setEnabled(on);
  }

  /** Ends the plugin's host, if one runs, whatever its placement is now. Idempotent. */
  endHost(packageName: string): Promise<void> {
    return this.hosts.stop(packageName);
  }

  /** Removes the private data folder a host gave the plugin, and its budget counts (on uninstall). */
  async removeData(packageName: string): Promise<void> {
    await this.hosts.removeData(packageName);
    await this.budgets.remove(packageName);
  }

  /** Ends every host (at shutdown), and lands the budget counts. */
  async endAll(): Promise<void> {
    await this.hosts.stopAll();
    await this.budgets.flush();
  }
}
