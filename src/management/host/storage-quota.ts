import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { IAgentRuntime } from '@elizaos/core';
import { z } from 'zod';
import { codedError, type PluginDynamicError } from '../../errors.js';
import { grantedPermissions } from '../permissions/permission-grants.js';

/*
 * One isolated plugin's storage quota: its private data folder and its entries in the agent's cache,
 * counted together, held to the smaller of its declared storageMb and the agent's
 * PLUGIN_DYNAMIC_PLUGIN_STORAGE_MB (a plugin that declares none may store nothing). A cache write that would pass the quota is
 * refused before it is stored; writes into the data folder are measured whenever the folder changes
 * (a recursive watch), and a start is refused while the plugin is over. Over the quota, the owner is
 * told (onExceeded) and stops the plugin; nothing is deleted, neither the agent's nor the plugin's.
 */

const MB = 1024 * 1024;
const IndexSchema = z.record(z.string(), z.number().int().nonnegative());

/** Bytes of every file under `dir`, links counted as links (never followed). */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const path = join(dir, name);
    const stat = await lstat(path).catch(() => undefined);
    if (!stat) continue;
    total += stat.isDirectory() ? await folderBytes(path) : stat.size;
  }
  return total;
}

/** The size a cache value takes, as the agent's database stores it (JSON). */
function valueBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null) ?? 'null');
}

export interface StorageQuotaOptions {
  runtime: Pick<IAgentRuntime, 'getCache' | 'setCache'>;
  packageName: string;
  dataFolder: string;
  /** The agent's bound in MB (the plugin's declared storageMb lowers it further). */
  quotaMb: number;
  /** The plugin went over its quota: stop it with this error. Called once per watch. */
  onExceeded: (error: PluginDynamicError) => void;
}

export class StorageQuota {
  private watcher: FSWatcher | undefined;
  private checking: Promise<void> | undefined;
  private again = false;
  private reported = false;

  constructor(private readonly opts: StorageQuotaOptions) {}

  private get indexKey(): string {
    return `plugin-dynamic:storage:${this.opts.packageName}`;
  }

  /** The size of each of the plugin's cache entries, by its own key. */
  private async index(): Promise<Record<string, number>> {
    const parsed = IndexSchema.safeParse(await this.opts.runtime.getCache(this.indexKey));
    return parsed.success ? parsed.data : {};
  }

  /** The quota in MB now: the agent's, or the plugin's declared storage when that is smaller. */
  get quotaMb(): number {
    return Math.min(this.opts.quotaMb, grantedPermissions(this.opts.runtime, this.opts.packageName).storageMb);
  }

  private exceeded(usedBytes: number): PluginDynamicError {
    return codedError('STORAGE_QUOTA_EXCEEDED', { plugin: this.opts.packageName, used: (usedBytes / MB).toFixed(1), quota: this.quotaMb });
  }

  /** Bytes in use now: the data folder and the cache entries. */
  async used(): Promise<number> {
    const cache = Object.values(await this.index()).reduce((a, b) => a + b, 0);
    return (await folderBytes(this.opts.dataFolder)) + cache;
  }

  /** Throws STORAGE_QUOTA_EXCEEDED when the plugin is over its quota (before a start). */
  async assertWithin(): Promise<void> {
    const used = await this.used();
    if (used > this.quotaMb * MB) throw this.exceeded(used);
  }

  /** Stores a cache entry of the plugin's unless it would take the plugin over its quota. */
  async setCache(key: string, value: unknown, store: () => Promise<boolean>): Promise<boolean> {
    const index = await this.index();
    const next = { ...index, [key]: valueBytes(value) };
    const used = (await folderBytes(this.opts.dataFolder)) + Object.values(next).reduce((a, b) => a + b, 0);
    if (used > this.quotaMb * MB) {
      const error = this.exceeded(used);
      this.report(error);
      throw error;
    }
    const stored = await store();
    if (stored) await this.opts.runtime.setCache(this.indexKey, next);
    return stored;
  }

  /** Forgets a deleted cache entry's size. */
  async deleted(key: string): Promise<void> {
    const index = await this.index();
    if (!(key in index)) return;
    delete index[key];
    await this.opts.runtime.setCache(this.indexKey, index);
  }

  /** Measures the data folder whenever something in it changes, while the plugin's host runs. */
  watch(): void {
    this.close();
    this.reported = false;
    this.watcher = watch(this.opts.dataFolder, { recursive: true, persistent: false }, () => this.schedule());
    this.watcher.on('error', () => this.close());
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** One measurement at a time; changes during one ask for another after it. */
  private schedule(): void {
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        const used = await this.used();
        if (used > this.quotaMb * MB) this.report(this.exceeded(used));
      } while (this.again && this.watcher);
    })().finally(() => {
      this.checking = undefined;
    });
  }

  private report(error: PluginDynamicError): void {
    if (this.reported) return;
    this.reported = true;
    this.close();
    this.opts.onExceeded(error);
  }
}
