import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginDynamicConfig } from '../../config.js';
import { decideIsolation } from '../../management/host/isolation.js';
import type { PluginView } from '../../management/plugin-view.js';
import type { PluginRecord } from '../../management/state/plugin-record.js';
import { isInside } from '../../shared/paths.js';
import type { ClosedSnapshot } from './closed-snapshot.js';
import { isRuntimeSetting } from './next-runtime-config.js';

/**
 * What `list` prints, from the closed snapshot, when a runtime started now would show the same:
 * its start (restore-state.ts) would leave every plugin as it is. Undefined as soon as one plugin
 * would change (its folder or entry gone, its status moved by its settings, an `error` made
 * `installed`, its placement decided otherwise by this environment, or a setting an in-process
 * plugin reads from the runtime's own settings): the caller starts the runtime, which does that work.
 *
 * `active` plugins are shown active, as the runtime shows them once it has loaded them again; their
 * code is not run here. `updatedAt` is the last runtime's (a runtime's start stamps every record).
 */
export function fastPluginList(snapshot: ClosedSnapshot, config: PluginDynamicConfig): PluginView[] | undefined {
  const pluginsDir = join(config.dataDir, 'plugins');
  const views: PluginView[] = [];
  for (const { record, view } of snapshot.plugins) {
    if (!filesInPlace(record, pluginsDir) || !statusKept(record, view)) return undefined;
    const decision = decideIsolation(config.isolation, record.trust, record.isolation);
    if (decision.mode !== view.isolation || decision.decidedBy !== view.isolationDecidedBy) return undefined;
    if (decision.mode === 'in-process' && record.settings.some((s) => isRuntimeSetting(s.name, config.dataDir))) return undefined;
    views.push(view);
  }
  return views;
}

/** The folder is where the installer keeps plugins and the entry is there: nothing to forget or reinstall. */
function filesInPlace(record: PluginRecord, pluginsDir: string): boolean {
  return isInside(pluginsDir, record.installDir) && record.installDir !== pluginsDir && existsSync(record.installDir) && existsSync(record.entry);
}

/** The status a restart gives a plugin is the one it has (restore-state.ts, restoreInstalled). */
function statusKept(record: PluginRecord, view: PluginView): boolean {
  const set = new Map(view.settings.map((s) => [s.name, s.set]));
  const missing = record.settings.some((s) => s.required && s.defaultValue === undefined && set.get(s.name) !== true);
  if (missing) return record.status === 'needs_configuration';
  return record.status === 'installed' || record.status === 'inactive' || record.status === 'active';
}
