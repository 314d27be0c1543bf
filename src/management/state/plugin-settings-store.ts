import type { IAgentRuntime } from '@elizaos/core';
import { z } from 'zod';
import { RecordStore } from '../../shared/record-store.js';
import type { SecretBox } from './secret-box.js';

const StoredSettingSchema = z.object({
  packageName: z.string(),
  name: z.string(),
  sensitive: z.boolean(),
  /** Plain text for ordinary settings, SecretBox ciphertext for sensitive ones. */
  stored: z.string(),
  updatedAt: z.string(),
});
type StoredSetting = z.infer<typeof StoredSettingSchema>;

/**
 * The runtime's own settings map: getSetting reads it after the character's secrets and settings.
 * Values go here rather than into character.secrets because the character object is shown to the
 * model and to providers (bootstrap's CHARACTER provider puts it in the state), which would leak them.
 */
function runtimeSettings(runtime: IAgentRuntime): Record<string, unknown> {
  const holder = runtime as unknown as { settings?: Record<string, unknown> };
  holder.settings ??= {};
  return holder.settings;
}

/**
 * Setting values of installed plugins. Stored in the agent's database (sensitive ones encrypted),
 * and handed to the live runtime so plugins read them through getSetting; never put into
 * process.env or the character.
 */
export class PluginSettingsStore {
  private readonly store: RecordStore<StoredSetting>;
  private values: StoredSetting[] = [];

  constructor(
    private readonly runtime: IAgentRuntime,
    private readonly box: SecretBox,
  ) {
    this.store = new RecordStore(runtime, 'plugin-dynamic:settings', StoredSettingSchema);
  }

  async load(): Promise<{ corrupt: number }> {
    const { records, corrupt } = await this.store.load();
    this.values = records;
    return { corrupt: corrupt.count };
  }

  /** Whether a value for the plugin's setting is stored here. */
  has(packageName: string, name: string): boolean {
    return this.values.some((v) => v.packageName === packageName && v.name === name);
  }

  /** Stores a value; `publish` also hands it to the runtime's settings map, where getSetting reads it. */
  async set(packageName: string, name: string, value: string, sensitive: boolean, opts: { publish: boolean } = { publish: true }): Promise<void> {
    const stored = sensitive ? this.box.encrypt(value) : value;
    const record: StoredSetting = { packageName, name, sensitive, stored, updatedAt: new Date().toISOString() };
    this.values = [...this.values.filter((v) => !(v.packageName === packageName && v.name === name)), record];
    await this.store.save(this.values);
    if (opts.publish) runtimeSettings(this.runtime)[name] = value;
  }

  /**
   * The values of a plugin's declared settings (stored ones, else declared defaults), decrypted;
   * nothing it did not declare.
   */
  valuesFor(packageName: string, declared: { name: string; defaultValue?: string | undefined }[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const setting of declared) {
      const stored = this.values.find((v) => v.packageName === packageName && v.name === setting.name);
      if (stored) out[setting.name] = stored.sensitive ? this.box.decrypt(stored.stored) : stored.stored;
      else if (setting.defaultValue !== undefined) out[setting.name] = setting.defaultValue;
    }
    return out;
  }

  /** Takes a plugin's values out of the runtime's settings map, keeping them stored. */
  withdraw(packageName: string): void {
    const settings = runtimeSettings(this.runtime);
    for (const v of this.values.filter((s) => s.packageName === packageName)) {
      const plain = v.sensitive ? this.box.decrypt(v.stored) : v.stored;
      if (settings[v.name] === plain) delete settings[v.name];
    }
  }

  /** Puts every stored value of one plugin into the runtime's settings map. */
  applyTo(packageName: string): void {
    for (const v of this.values.filter((s) => s.packageName === packageName)) {
      runtimeSettings(this.runtime)[v.name] = v.sensitive ? this.box.decrypt(v.stored) : v.stored;
    }
  }

  /** Every stored sensitive value, decrypted: what must never be shown back. */
  sensitiveValues(): string[] {
    return this.values.filter((v) => v.sensitive).map((v) => this.box.decrypt(v.stored));
  }

  /** Forgets a plugin's values, in the database and in the runtime. */
  async remove(packageName: string): Promise<void> {
    const mine = this.values.filter((v) => v.packageName === packageName);
    if (mine.length === 0) return;
    this.values = this.values.filter((v) => v.packageName !== packageName);
    await this.store.save(this.values);
    const settings = runtimeSettings(this.runtime);
    for (const v of mine) delete settings[v.name];
  }
}
