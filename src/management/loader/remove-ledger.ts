import type { IAgentRuntime } from '@elizaos/core';
import { bounded } from '../../shared/bounded.js';
import { runtimeCollections } from './runtime-collections.js';
import { ARRAYS, KEY_MAPS, type Ledger } from './runtime-snapshot.js';

export interface RemovalReport {
  /** Components taken out, by collection. */
  removed: Record<string, number>;
  /** Environment variables and character settings put back as they were before the load. */
  restored: string[];
  /** What could not be undone (a service that would not stop, ...), for the status to show. */
  residue: string[];
}

async function stopWithin(service: unknown, timeoutMs: number): Promise<string | undefined> {
  const stop = (service as { stop?: () => Promise<void> | void }).stop;
  if (typeof stop !== 'function') return undefined;
  try {
    await bounded(Promise.resolve().then(() => stop.call(service)), {
      ms: timeoutMs,
      onTimeout: () => new Error(`did not stop within ${timeoutMs} ms`),
    });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Takes out exactly what a ledger recorded, in reverse order of loading: services are stopped
 * first (errors collected, never thrown), then every component is removed by identity, then the
 * environment and character settings are put back.
 */
export async function removeLedger(runtime: IAgentRuntime, ledger: Ledger, opts: { stopTimeoutMs: number }): Promise<RemovalReport> {
  const c = runtimeCollections(runtime);
  const removed: Record<string, number> = {};
  const residue: string[] = [];
  const count = (name: string, n: number): void => {
    if (n > 0) removed[name] = (removed[name] ?? 0) + n;
  };

  for (const [type, instances] of ledger.listMaps.services) {
    for (const instance of [...instances].reverse()) {
      const problem = await stopWithin(instance, opts.stopTimeoutMs);
      if (problem) residue.push(`service ${type} ${problem}`);
    }
    const left = (c.services.get(type) ?? []).filter((s) => !instances.includes(s));
    if (left.length) c.services.set(type, left);
    else c.services.delete(type);
    count('services', instances.length);
  }
  for (const [type, defs] of ledger.listMaps.serviceTypes) {
    const left = (c.serviceTypes.get(type) ?? []).filter((d) => !defs.includes(d));
    if (left.length) c.serviceTypes.set(type, left);
    else c.serviceTypes.delete(type);
  }
  for (const [type, handlers] of ledger.listMaps.models) {
    const left = (c.models.get(type) ?? []).filter((h) => !handlers.includes(h));
    if (left.length) c.models.set(type, left);
    else c.models.delete(type);
    count('models', handlers.length);
  }
  for (const [name, handlers] of ledger.events) {
    const left = (c.events[name] ?? []).filter((h) => !handlers.includes(h));
    if (left.length) c.events[name] = left;
    else delete c.events[name];
    count('events', handlers.length);
  }
  for (const name of KEY_MAPS) {
    for (const [key, value] of ledger.keyMaps[name]) {
      if (c[name].get(key) === value) c[name].delete(key);
    }
    count(name, ledger.keyMaps[name].size);
  }
  for (const name of [...ARRAYS].reverse()) {
    const gone = new Set(ledger.arrays[name]);
    const target = c[name] as unknown[];
    for (let i = target.length - 1; i >= 0; i--) if (gone.has(target[i])) target.splice(i, 1);
    count(name, gone.size);
  }

  const restored: string[] = [];
  for (const [key, before] of ledger.env) {
    if (before === undefined) delete process.env[key];
    else process.env[key] = before;
    restored.push(`env ${key}`);
  }
  const character = runtime.character as { settings?: Record<string, unknown>; secrets?: Record<string, unknown> };
  const putBack = (record: Record<string, unknown> | undefined, changes: Map<string, unknown>, label: string): void => {
    if (!record) return;
    for (const [key, before] of changes) {
      if (before === undefined) delete record[key];
      else record[key] = before;
      restored.push(`${label} ${key}`);
    }
  };
  putBack(character.settings, ledger.characterSettings, 'character setting');
  putBack(character.secrets, ledger.characterSecrets, 'character secret');
  return { removed, restored, residue };
}
