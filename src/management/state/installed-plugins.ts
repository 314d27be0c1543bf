import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../../errors.js';
import { RecordStore, type LoadResult } from '../../shared/record-store.js';
import { PluginRecordSchema, type PluginRecord } from './plugin-record.js';

/** The installed plugins, kept in memory and persisted as one record store in the agent's database. */
export class InstalledPlugins {
  private readonly store: RecordStore<PluginRecord>;
  private readonly records = new Map<string, PluginRecord>();

  constructor(runtime: IAgentRuntime) {
    this.store = new RecordStore(runtime, 'plugin-dynamic:installed-plugins', PluginRecordSchema);
  }

  async load(): Promise<LoadResult<PluginRecord>['corrupt']> {
    const { records, corrupt } = await this.store.load();
    this.records.clear();
    for (const record of records) this.records.set(record.packageName, record);
    return corrupt;
  }

  all(): PluginRecord[] {
    return [...this.records.values()].sort((a, b) => a.packageName.localeCompare(b.packageName));
  }

  get(packageName: string): PluginRecord | undefined {
    return this.records.get(packageName);
  }

  /** The record of an installed package; NOT_INSTALLED when there is none. */
  mustGet(packageName: string): PluginRecord {
    const record = this.records.get(packageName);
    if (!record) throw codedError('NOT_INSTALLED', { subject: packageName, problem: 'is not installed.' });
    return record;
  }

  /**
   * Finds an installed plugin by what a person calls it: the package name, the Plugin object's name,
   * or the base name ("weather" for "@elizaos/plugin-weather").
   */
  find(word: string): PluginRecord {
    const wanted = word.trim().toLowerCase();
    const base = (name: string): string => name.toLowerCase().replace(/^@[^/]+\//, '').replace(/^plugin-/, '');
    const exact = this.all().filter(
      (r) => r.packageName.toLowerCase() === wanted || r.pluginName.toLowerCase() === wanted,
    );
    const matches = exact.length > 0 ? exact : this.all().filter((r) => base(r.packageName) === base(wanted));
    if (matches.length === 1 && matches[0]) return matches[0];
    if (matches.length > 1) {
      throw codedError(
        'PLUGIN_AMBIGUOUS',
        { word: `"${word}"`, candidates: matches.map((m) => m.packageName).join(', '), purpose: '' },
        { details: { candidates: matches.map((m) => m.packageName) } },
      );
    }
    const installed = this.all().map((r) => r.packageName);
    throw codedError('NOT_INSTALLED', { subject: `No installed plugin is called "${word}".`, problem: `Installed: ${installed.length ? installed.join(', ') : 'none'}.` });
  }

  async put(record: PluginRecord): Promise<PluginRecord> {
    const stamped = { ...record, updatedAt: new Date().toISOString() };
    this.records.set(stamped.packageName, stamped);
    await this.store.save(this.all());
    return stamped;
  }

  async remove(packageName: string): Promise<void> {
    this.records.delete(packageName);
    await this.store.save(this.all());
  }

  flush(): Promise<void> {
    return this.store.flush();
  }
}
