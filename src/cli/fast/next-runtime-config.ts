import { loadConfig, SETTING_NAMES, type PluginDynamicConfig } from '../../config.js';
import { loadFleetSettings } from '../../fleet/fleet-settings.js';
import { headlessSettings } from '../headless-settings.js';

/** The settings the fast readers need that a headless runtime's agent record hands to the next one. */
export const INHERITED_SETTINGS: readonly string[] = [SETTING_NAMES.isolation, SETTING_NAMES.retentionDays];

/**
 * The configuration the next headless runtime on this folder would load: its character's settings
 * (this environment's PLUGIN_DYNAMIC_*) over those its agent record inherited, then the environment,
 * as the services read them (runtime.getSetting, else process.env). Undefined when a setting is
 * invalid (the runtime then reports it as it always has), and when the runtime would keep its jobs
 * in a fleet's PostgreSQL (POSTGRES_URL), where workers elsewhere change them.
 */
export function nextRuntimeConfig(dataDir: string, env: NodeJS.ProcessEnv, inherited: Record<string, string>): PluginDynamicConfig | undefined {
  const character: Record<string, string> = { ...inherited, ...headlessSettings(dataDir, env) };
  const get = (key: string): string | undefined => character[key] ?? env[key];
  try {
    if (loadFleetSettings(get).postgresUrl) return undefined;
    return loadConfig(get);
  } catch {
    return undefined;
  }
}

/**
 * Whether a setting of that name is in the headless runtime's own settings (PLUGIN_DYNAMIC_*, the
 * database folder), whose next values an agent record may hold: an in-process plugin sees those.
 */
export function isRuntimeSetting(name: string, dataDir: string): boolean {
  return name.startsWith('PLUGIN_DYNAMIC_') || Object.hasOwn(headlessSettings(dataDir, {}), name);
}
