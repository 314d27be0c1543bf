import { existsSync } from 'node:fs';
import type { IAgentRuntime } from '@elizaos/core';
import { toPluginDynamicError } from '../errors.js';
import type { PluginDynamicConfig } from '../config.js';
import type { PluginInstaller } from './install/index.js';
import type { InstalledPlugins } from './state/installed-plugins.js';
import type { PluginRecord } from './state/plugin-record.js';
import { PluginSettingsStore } from './state/plugin-settings-store.js';
import type { PluginStatus } from './state/plugin-status.js';
import { defaultKeyFile, SecretBox } from './state/secret-box.js';

const LOG_SRC = 'plugin-dynamic:management';

/** Opens the secret box and reads the stored setting values; `corrupt` counts unreadable records. */
export async function openSettingsStore(runtime: IAgentRuntime, config: PluginDynamicConfig): Promise<{ store: PluginSettingsStore; corrupt: number }> {
  const box = await SecretBox.open({ secretKey: config.secretKey, keyFile: defaultKeyFile(config.dataDir) });
  const store = new PluginSettingsStore(runtime, box);
  const { corrupt } = await store.load();
  return { store, corrupt };
}

export interface RestoreContext {
  runtime: IAgentRuntime;
  installed: InstalledPlugins;
  installer: PluginInstaller;
  /** Unreadable setting records found when the settings store was opened. */
  settingsCorrupt: number;
  /** Cleans up after hosts of an earlier agent process (before the records are read). */
  sweep: () => Promise<void>;
  missingSettings: (record: PluginRecord) => string[];
  activate: (packageName: string) => Promise<unknown>;
}

/**
 * Reads the stored records (reporting unreadable ones), forgets plugins whose folder is gone,
 * reinstalls lost packages from their lockfile, and activates again the plugins that were active.
 */
export async function restoreInstalled(ctx: RestoreContext): Promise<void> {
  const { runtime, installed } = ctx;
  await ctx.sweep();
  const corrupt = await installed.load();
  if (corrupt.count > 0 || ctx.settingsCorrupt > 0) {
    runtime.logger.warn(
      { src: LOG_SRC, movedTo: corrupt.movedTo, reasons: corrupt.reasons },
      `[STATE_CORRUPT] ${corrupt.count + ctx.settingsCorrupt} stored record(s) were unreadable and moved aside; the rest were kept.`,
    );
  }
  for (const record of installed.all()) {
    if (!existsSync(record.installDir)) {
      runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, installDir: record.installDir }, 'Installed plugin folder is gone; forgetting it.');
      await installed.remove(record.packageName);
      continue;
    }
    if (!(await restoreFiles(ctx, record))) continue;
    const wasActive = record.status === 'active';
    // A plugin the user deactivated stays deactivated (and says so) across a restart.
    const status: PluginStatus =
      ctx.missingSettings(record).length > 0 ? 'needs_configuration' : record.status === 'inactive' ? 'inactive' : 'installed';
    await installed.put({ ...record, status });
    if (wasActive && status === 'installed') {
      try {
        await ctx.activate(record.packageName);
      } catch (error) {
        const e = toPluginDynamicError(error);
        runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, code: e.code }, `Could not re-activate after restart: ${e.message}`);
      }
    }
  }
}

/**
 * Reinstalls a plugin's packages from its lockfile when its folder lost them (node_modules deleted,
 * the data folder copied without it). False when that failed: the plugin is left in `error`.
 */
async function restoreFiles(ctx: RestoreContext, record: PluginRecord): Promise<boolean> {
  try {
    if (await ctx.installer.restore(record)) {
      ctx.runtime.logger.info({ src: LOG_SRC, plugin: record.packageName }, 'Reinstalled the plugin from its lockfile.');
    }
    return true;
  } catch (error) {
    const e = toPluginDynamicError(error, 'RESTORE_FAILED');
    ctx.runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, code: e.code }, e.message);
    await ctx.installed.put({ ...record, status: 'error', lastError: { code: e.code, message: e.message, at: new Date().toISOString() } });
    return false;
  }
}
