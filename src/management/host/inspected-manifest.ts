import type { ComponentSummary } from '../types.js';
import type { HostManifest, InitRegistrations } from './protocol.js';

/** What passed the check, and what the host announced beyond the inspection, as `kind name` entries. */
export interface Checked<T> {
  kept: T;
  refused: string[];
}

function keeper(refused: string[]) {
  return <T>(kind: string, items: readonly T[], allowed: readonly string[], key: (item: T) => string): T[] => {
    const names = new Set(allowed);
    return items.filter((item) => {
      if (names.has(key(item))) return true;
      refused.push(`${kind} ${key(item)}`);
      return false;
    });
  };
}

/**
 * Holds what a host announces at run time to what the install-time inspection showed, by kind and
 * name: an action, provider, evaluator, service, model, event or route the inspection did not list
 * is left out (no stub is registered for it) and named in `refused`. A plugin that shows one thing
 * when inspected and grows more in its host keeps only what was shown.
 */
export function keepInspected(manifest: HostManifest, inspected: ComponentSummary): Checked<HostManifest> {
  const refused: string[] = [];
  const keep = keeper(refused);
  const part = keepInspectedRegistrations(manifest, inspected);
  refused.push(...part.refused);
  return {
    kept: {
      ...manifest,
      ...part.kept,
      services: keep('service', manifest.services, inspected.services, (s) => s.serviceType),
      models: keep('model', manifest.models, inspected.models, (m) => m),
      routes: keep('route', manifest.routes, inspected.routes, (r) => `${r.type} ${r.path}`),
    },
    refused,
  };
}

/** The same check for what a plugin registered with runtime.register* while its init ran in the host. */
export function keepInspectedRegistrations(registered: InitRegistrations, inspected: ComponentSummary): Checked<InitRegistrations> {
  const refused: string[] = [];
  const keep = keeper(refused);
  return {
    kept: {
      actions: keep('action', registered.actions, inspected.actions, (a) => a.name),
      providers: keep('provider', registered.providers, inspected.providers, (p) => p.name),
      evaluators: keep('evaluator', registered.evaluators, inspected.evaluators, (e) => e.name),
      events: keep('event', registered.events, inspected.events, (e) => e),
    },
    refused,
  };
}
