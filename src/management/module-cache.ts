import { stat } from 'node:fs/promises';
import type { Plugin } from '@elizaos/core';
import { importPluginModule } from './loader/index.js';
import type { PluginRecord } from './state/plugin-record.js';

/**
 * The plugin modules of installed plugins. `current` holds the module of each plugin that is active
 * or inactive (unload forgets it, so the next activation imports afresh). `imported` holds every
 * module this process imported, by entry file and its inode, size and times: Node never frees an ES
 * module, so importing an unchanged entry again would only grow the heap (about 1.7 MB per cycle for
 * plugin-bootstrap); a changed file (a rebuild, a reinstall) is imported afresh.
 */
export class ModuleCache {
  private readonly current = new Map<string, Plugin>();
  private readonly imported = new Map<string, Plugin>();
  private generation = 0;

  async moduleFor(record: PluginRecord): Promise<Plugin> {
    const cached = this.current.get(record.packageName);
    if (cached) return cached;
    const info = await stat(record.entry);
    // npm gives every unpacked file the same fixed mtime: the inode and change time tell a reinstall apart.
    const key = `${record.entry}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const plugin = this.imported.get(key) ?? (await importPluginModule(record.entry, ++this.generation));
    this.imported.set(key, plugin);
    this.current.set(record.packageName, plugin);
    return plugin;
  }

  /** The plugin's current module, if it has one. */
  get(packageName: string): Plugin | undefined {
    return this.current.get(packageName);
  }

  /** Makes a module the plugin's current one again (a replace that failed puts the earlier one back). */
  set(packageName: string, plugin: Plugin): void {
    this.current.set(packageName, plugin);
  }

  /** Forgets the plugin's current module; the next activation imports its entry (or reuses an unchanged one). */
  forget(packageName: string): void {
    this.current.delete(packageName);
  }
}
