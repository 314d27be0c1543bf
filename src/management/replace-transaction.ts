import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import type { IAgentRuntime } from '@elizaos/core';
import { codedError, PluginDynamicError, toPluginDynamicError } from '../errors.js';
import type { InstallOptions } from './install-options.js';
import type { PluginLoader } from './loader/index.js';
import type { ModuleCache } from './module-cache.js';
import type { Placement } from './placement/placement.js';
import type { InstalledPlugins } from './state/installed-plugins.js';
import type { PluginRecord } from './state/plugin-record.js';
import type { InstalledPackage, InstallSource } from './types.js';

const LOG_SRC = 'plugin-dynamic:management';

export interface ReplaceContext {
  runtime: IAgentRuntime;
  loader: PluginLoader;
  modules: ModuleCache;
  installed: InstalledPlugins;
  /** Installs the package (its refusal logged under `label`). */
  installPackage: (source: InstallSource, opts: InstallOptions, label: string) => Promise<InstalledPackage>;
  /** Removes an installed package's folder. */
  uninstallPackage: (pkg: Pick<InstalledPackage, 'installDir'>) => Promise<void>;
  newRecord: (pkg: InstalledPackage, source: InstallSource, opts: InstallOptions) => PluginRecord;
  placementOf: (record: PluginRecord) => Placement;
}

/**
 * Installs a new version over an installed plugin without losing the earlier one on the way: its
 * folder is moved aside, the new version installed, the earlier one taken out of the runtime and
 * the new one loaded; if any of that fails the earlier folder, module and state come back.
 * The caller holds the plugin's lock and has refused protected plugins.
 */
export async function replaceInstalled(ctx: ReplaceContext, previous: PluginRecord, source: InstallSource, opts: InstallOptions): Promise<PluginRecord> {
  const aside = `${previous.installDir}.previous-${randomBytes(4).toString('hex')}`;
  await rename(previous.installDir, aside);
  const putBack = () => rename(aside, previous.installDir);
  let pkg: InstalledPackage;
  try {
    pkg = await ctx.installPackage(source, opts, previous.packageName);
  } catch (error) {
    await putBack();
    throw error;
  }
  if (pkg.packageName !== previous.packageName) {
    await ctx.uninstallPackage(pkg);
    await putBack();
    throw codedError('INVALID_SOURCE', { source: `The new package ${pkg.packageName}`, problem: `is not ${previous.packageName}; nothing was replaced.` });
  }
  const wasActive = previous.status === 'active' && ctx.loader.isLoaded(previous.pluginName);
  const earlierModule = ctx.modules.get(previous.packageName);
  // The earlier override of where it runs carries over (generated plugins are isolated by default).
  const fresh: PluginRecord = { ...ctx.newRecord(pkg, source, opts), ...(previous.isolation ? { isolation: previous.isolation } : {}) };
  const load = (opts.activate ?? wasActive) && fresh.status === 'installed';
  if (wasActive) await ctx.placementOf(previous).remove(previous);
  ctx.modules.forget(previous.packageName);
  try {
    if (load) await ctx.placementOf(fresh).load(fresh, opts.signal);
  } catch (error) {
    const e = toPluginDynamicError(error, 'LOAD_FAILED');
    ctx.modules.forget(previous.packageName);
    await ctx.uninstallPackage(pkg);
    await putBack();
    if (earlierModule) ctx.modules.set(previous.packageName, earlierModule);
    if (wasActive) await ctx.placementOf(previous).load(previous, undefined).catch(() => undefined);
    // The error's own message, with what was kept added.
    throw new PluginDynamicError(e.code, `${e.message} The earlier ${previous.packageName}@${previous.version} was kept.`, { cause: e, ...(e.details ? { details: e.details } : {}) });
  }
  const record = await ctx.installed.put({ ...fresh, installedAt: previous.installedAt, status: load ? 'active' : fresh.status });
  await rm(aside, { recursive: true, force: true });
  ctx.runtime.logger.info(
    { src: LOG_SRC, plugin: record.packageName, from: previous.version, to: record.version },
    `Replaced ${record.packageName}@${previous.version} with ${record.version}.`,
  );
  return record;
}
