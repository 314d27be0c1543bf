import type { IAgentRuntime } from '@elizaos/core';
import { runtimeCollections } from './runtime-collections.js';

type ArrayName = 'actions' | 'providers' | 'evaluators' | 'plugins' | 'routes';
type ListMapName = 'services' | 'models' | 'serviceTypes';
type KeyMapName = 'taskWorkers' | 'sendHandlers' | 'serviceRegistrationStatus' | 'servicePromises' | 'servicePromiseHandlers';

const ARRAYS: ArrayName[] = ['actions', 'providers', 'evaluators', 'plugins', 'routes'];
const LIST_MAPS: ListMapName[] = ['services', 'models', 'serviceTypes'];
const KEY_MAPS: KeyMapName[] = ['taskWorkers', 'sendHandlers', 'serviceRegistrationStatus', 'servicePromises', 'servicePromiseHandlers'];

/** What the runtime (and the process around it) held at one moment, by object identity. */
export interface RuntimeSnapshot {
  arrays: Record<ArrayName, Set<unknown>>;
  listMaps: Record<ListMapName, Map<string, Set<unknown>>>;
  keyMaps: Record<KeyMapName, Map<string, unknown>>;
  events: Map<string, Set<unknown>>;
  env: Record<string, string | undefined>;
  characterSettings: Record<string, unknown>;
  characterSecrets: Record<string, unknown>;
}

/** Exactly what a plugin added, so that removing it is the reverse of loading it. */
export interface Ledger {
  arrays: Record<ArrayName, unknown[]>;
  listMaps: Record<ListMapName, Map<string, unknown[]>>;
  /** Keys added to keyed maps, with the value the plugin put there (removed only if still the same). */
  keyMaps: Record<KeyMapName, Map<string, unknown>>;
  events: Map<string, unknown[]>;
  /** Environment variables the plugin added or changed: name → value before (undefined = absent). */
  env: Map<string, string | undefined>;
  characterSettings: Map<string, unknown>;
  characterSecrets: Map<string, unknown>;
}

export function captureSnapshot(runtime: IAgentRuntime): RuntimeSnapshot {
  const c = runtimeCollections(runtime);
  const character = runtime.character as { settings?: Record<string, unknown>; secrets?: Record<string, unknown> };
  return {
    arrays: Object.fromEntries(ARRAYS.map((n) => [n, new Set<unknown>(c[n])])) as RuntimeSnapshot['arrays'],
    listMaps: Object.fromEntries(
      LIST_MAPS.map((n) => [n, new Map([...c[n]].map(([k, list]) => [k, new Set<unknown>(list)]))]),
    ) as RuntimeSnapshot['listMaps'],
    keyMaps: Object.fromEntries(KEY_MAPS.map((n) => [n, new Map(c[n])])) as RuntimeSnapshot['keyMaps'],
    events: new Map(Object.entries(c.events).map(([k, list]) => [k, new Set<unknown>(list ?? [])])),
    env: { ...process.env },
    characterSettings: { ...character.settings },
    characterSecrets: { ...character.secrets },
  };
}

function diffRecord(before: Record<string, unknown>, after: Record<string, unknown>): Map<string, unknown> {
  const changed = new Map<string, unknown>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] !== after[key]) changed.set(key, before[key]);
  }
  return changed;
}

/** Compares the runtime now with a snapshot taken before a load. */
export function diffSnapshot(runtime: IAgentRuntime, before: RuntimeSnapshot): Ledger {
  const c = runtimeCollections(runtime);
  const now = captureSnapshot(runtime);
  const arrays = Object.fromEntries(
    ARRAYS.map((n) => [n, c[n].filter((item) => !before.arrays[n].has(item))]),
  ) as Ledger['arrays'];
  const listMaps = Object.fromEntries(
    LIST_MAPS.map((n) => {
      const added = new Map<string, unknown[]>();
      for (const [key, list] of c[n]) {
        const old = before.listMaps[n].get(key);
        const fresh = list.filter((item) => !old?.has(item));
        if (fresh.length) added.set(key, fresh);
      }
      return [n, added];
    }),
  ) as Ledger['listMaps'];
  const keyMaps = Object.fromEntries(
    KEY_MAPS.map((n) => {
      const added = new Map<string, unknown>();
      for (const [key, value] of c[n]) if (!before.keyMaps[n].has(key)) added.set(key, value);
      return [n, added];
    }),
  ) as Ledger['keyMaps'];
  const events = new Map<string, unknown[]>();
  for (const [name, handlers] of Object.entries(c.events)) {
    const fresh = (handlers ?? []).filter((h) => !before.events.get(name)?.has(h));
    if (fresh.length) events.set(name, fresh);
  }
  return {
    arrays,
    listMaps,
    keyMaps,
    events,
    env: diffRecord(before.env, now.env) as Map<string, string | undefined>,
    characterSettings: diffRecord(before.characterSettings, now.characterSettings),
    characterSecrets: diffRecord(before.characterSecrets, now.characterSecrets),
  };
}

/** Adds a later ledger (e.g. services that finished starting after load) into the first. */
export function mergeLedger(into: Ledger, more: Ledger): void {
  for (const n of ARRAYS) into.arrays[n].push(...more.arrays[n]);
  for (const n of LIST_MAPS) for (const [k, v] of more.listMaps[n]) into.listMaps[n].set(k, [...(into.listMaps[n].get(k) ?? []), ...v]);
  for (const n of KEY_MAPS) for (const [k, v] of more.keyMaps[n]) into.keyMaps[n].set(k, v);
  for (const [k, v] of more.events) into.events.set(k, [...(into.events.get(k) ?? []), ...v]);
  for (const [k, v] of more.env) if (!into.env.has(k)) into.env.set(k, v);
  for (const [k, v] of more.characterSettings) if (!into.characterSettings.has(k)) into.characterSettings.set(k, v);
  for (const [k, v] of more.characterSecrets) if (!into.characterSecrets.has(k)) into.characterSecrets.set(k, v);
}

export function ledgerSize(ledger: Ledger): number {
  let n = 0;
  for (const n2 of ARRAYS) n += ledger.arrays[n2].length;
  for (const m of LIST_MAPS) for (const v of ledger.listMaps[m].values()) n += v.length;
  for (const m of KEY_MAPS) n += ledger.keyMaps[m].size;
  for (const v of ledger.events.values()) n += v.length;
  return n;
}

export { ARRAYS, LIST_MAPS, KEY_MAPS };
