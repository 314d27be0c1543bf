import type { IsolationMode } from '../host/isolation.js';
import type { PluginLoader } from '../loader/index.js';
import type { PluginRecord } from '../state/plugin-record.js';

/**
 * Where a plugin's code runs, and everything that differs because of it: which setting values the
 * plugin sees, how configured values reach it, how it enters and leaves the runtime.
 */
export interface Placement {
  readonly mode: IsolationMode;
  /** Whether the plugin will find a value for this setting once loaded. */
  hasSetting(record: PluginRecord, name: string): boolean;
  /** Stores values the user set (sensitive ones encrypted) and hands them to the plugin the way it reads them. */
  storeSettings(record: PluginRecord, values: Record<string, string>): Promise<void>;
  /** The plugin has just been placed here (its isolation was set): its settings move with it. */
  adopt(record: PluginRecord): void;
  /** Puts the plugin into the live runtime, all or nothing: a failure leaves nothing of it behind. */
  load(record: PluginRecord, signal: AbortSignal | undefined): Promise<void>;
  /** Takes the plugin out of the runtime; returns what could not be undone. */
  remove(record: PluginRecord): Promise<string[]>;
}

/** Unloads the plugin when the loader holds it; otherwise what its last unload left is kept. */
export async function takeOutOfRuntime(loader: PluginLoader, record: PluginRecord): Promise<string[]> {
  if (!loader.isLoaded(record.pluginName)) return record.residue ?? [];
  return (await loader.unload(record.pluginName)).residue;
}
