import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../../errors.js';
import type { PluginLoader } from '../loader/index.js';
import type { ModuleCache } from '../module-cache.js';
import type { PluginRecord } from '../state/plugin-record.js';
import type { PluginSettingsStore } from '../state/plugin-settings-store.js';
import { takeOutOfRuntime, type Placement } from './placement.js';

export interface InProcessPlacementOptions {
  runtime: IAgentRuntime;
  loader: PluginLoader;
  modules: ModuleCache;
  /** The settings store, open once the service has restored its state. */
  settings: () => PluginSettingsStore;
}

/**
 * The plugin's module runs in the agent's process, registered through the loader. It reads its
 * settings with runtime.getSetting, so it also sees values the agent itself already has.
 */
export class InProcessPlacement implements Placement {
  readonly mode = 'in-process' as const;

  constructor(private readonly opts: InProcessPlacementOptions) {}

  hasSetting(record: PluginRecord, name: string): boolean {
    if (this.opts.settings().has(record.packageName, name)) return true;
    const current = this.opts.runtime.getSetting(name);
    return current !== null && current !== '';
  }

  async storeSettings(record: PluginRecord, values: Record<string, string>): Promise<void> {
    const declared = new Map(record.settings.map((s) => [s.name, s]));
    for (const [name, value] of Object.entries(values)) {
      await this.opts.settings().set(record.packageName, name, value, declared.get(name)?.sensitive ?? true, { publish: true });
    }
  }

  adopt(): void {
    // Its stored values reach the runtime when it loads.
  }

  async load(record: PluginRecord, signal: AbortSignal | undefined): Promise<void> {
    // A registry signature that is present but does not check: its code never runs in the agent's process.
    if (record.signatures?.signature === 'invalid') {
      throw codedError('SIGNATURE_INVALID', { plugin: record.packageName, reason: record.signatures.reason ?? 'a registry signature does not check' });
    }
    this.opts.settings().applyTo(record.packageName);
    await this.opts.loader.load(await this.opts.modules.moduleFor(record), signal ? { signal } : {});
  }

  remove(record: PluginRecord): Promise<string[]> {
    return takeOutOfRuntime(this.opts.loader, record);
  }
}
