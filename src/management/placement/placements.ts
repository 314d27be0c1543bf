import type { IAgentRuntime } from '@elizaos/core';
import type { PluginDynamicConfig } from '../../config.js';
import type { PluginDynamicError } from '../../errors.js';
import { IsolatedPlugins } from '../host/index.js';
import type { IsolationMode } from '../host/isolation.js';
import type { PluginLoader } from '../loader/index.js';
import type { ModuleCache } from '../module-cache.js';
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
  /** A host ended without being asked to; the owner decides about status and restarts. */
  onHostDied: (packageName: string, reason: string) => void;
  /** A plugin went over its storage quota; the owner stops it. */
  onQuotaExceeded: (packageName: string, error: PluginDynamicError) => void;
}

/** Both placements, the host processes behind the isolated one, and the choice between them. */
export class Placements {
  readonly isolated: IsolatedPlacement;
  private readonly byMode: Readonly<Record<IsolationMode, Placement>>;
  private readonly hosts: IsolatedPlugins;

  constructor(private readonly opts: PlacementsOptions) {
    const { runtime, config, loader, modules, settings } = opts;
    this.hosts = new IsolatedPlugins({
      runtime,
      logger: runtime.logger,
      dataDir: config.dataDir,
      sandbox: config.sandbox,
      bounds: { memoryBytes: config.hostMemoryMb * 1024 * 1024, maxProcesses: config.hostMaxProcesses },
      callTimeoutMs: config.hostCallTimeoutMs,
      startTimeoutMs: config.loadTimeoutMs,
      maxModelCalls: config.hostMaxModelCalls,
      outputCapBytes: config.outputCapBytes,
      onHostDied: opts.onHostDied,
      storageMb: config.pluginStorageMb,
      onQuotaExceeded: opts.onQuotaExceeded,
    });
    this.isolated = new IsolatedPlacement({ runtime, loader, hosts: this.hosts, settings });
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

  /** Ends the plugin's host, if one runs, whatever its placement is now. Idempotent. */
  endHost(packageName: string): Promise<void> {
    return this.hosts.stop(packageName);
  }

  /** Removes the private data folder a host gave the plugin (on uninstall). */
  removeData(packageName: string): Promise<void> {
    return this.hosts.removeData(packageName);
  }

  /** Ends every host (at shutdown). */
  endAll(): Promise<void> {
    return this.hosts.stopAll();
  }
}
