import { resolve } from 'node:path';
import type { PluginDynamicConfig } from '../../config.js';
import { SparePool, type SparePoolOptions } from './spare-pool.js';

/** The settings a spare is made with: a service whose settings differ in one of them does not use a spare started early. */
const SPARE_SETTINGS = ['dataDir', 'sandbox', 'jobMemoryMb', 'jobMaxProcesses', 'commandTimeoutMs', 'outputCapBytes', 'installTimeoutMs'] as const;

/** Pools started before their creation service, by data folder (one process, one CLI command). */
const early = new Map<string, SparePool>();

function fingerprint(settings: PluginDynamicConfig): string {
  return JSON.stringify(SPARE_SETTINGS.map((key) => settings[key]));
}

/**
 * Starts a spare for the data folder before the runtime does (the CLI's `create`), so it warms
 * while PGLite and its migrations start; the creation service takes it over (claimEarlySpares).
 * Resolves once its workers are started (about 0.1 s). Nothing when the setting is off.
 */
export async function startEarlySpare(settings: PluginDynamicConfig, opts: SparePoolOptions = {}): Promise<void> {
  if (!settings.warmToolchain) return;
  const key = resolve(settings.dataDir);
  if (early.has(key)) return;
  const pool = new SparePool(settings, opts);
  early.set(key, pool);
  pool.start();
  // Its workers are started before the caller goes on: loading the runtime holds this thread for
  // seconds, while the workers warm in processes of their own.
  await pool.started();
}

/**
 * The pool started early for this service's data folder, when it was made with the same settings;
 * one made with others is stopped (its spare killed and removed). Each pool is claimed once.
 */
export async function claimEarlySpares(settings: PluginDynamicConfig): Promise<SparePool | undefined> {
  const key = resolve(settings.dataDir);
  const pool = early.get(key);
  if (!pool) return undefined;
  early.delete(key);
  if (settings.warmToolchain && fingerprint(pool.settings) === fingerprint(settings)) return pool;
  await pool.stop();
  return undefined;
}

/** Stops every pool started early and not claimed (a command that ended before its service started). */
export async function stopUnclaimedSpares(): Promise<void> {
  const pools = [...early.values()];
  early.clear();
  await Promise.all(pools.map((pool) => pool.stop()));
}
