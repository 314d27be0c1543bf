import type { ComponentSummary } from '../types.js';
import type { HostManifest } from './protocol.js';

/** What the host announced beyond the install-time inspection, as `kind name` entries. */
export interface ManifestCheck {
  manifest: HostManifest;
  refused: string[];
}

/**
 * Holds what a host announces at run time to what the install-time inspection showed, by kind and
 * name: an action, provider, evaluator, service, model, event or route the inspection did not list
 * is left out (no stub is registered for it) and named in `refused`. A plugin that shows one thing
 * when inspected and grows more in its host keeps only what was shown.
 */
export function keepInspected(manifest: HostManifest, inspected: ComponentSummary): ManifestCheck {
  const refused: string[] = [];
  const keep = <T>(kind: string, items: readonly T[], allowed: readonly string[], key: (item: T) => string): T[] => {
    const names = new Set(allowed);
    return items.filter((item) => {
      if (names.has(key(item))) return true;
      refused.push(`${kind} ${key(item)}`);
      return false;
    });
  };
  return {
    manifest: {
      ...manifest,
      actions: keep('action', manifest.actions, inspected.actions, (a) => a.name),
      providers: keep('provider', manifest.providers, inspected.providers, (p) => p.name),
      evaluators: keep('evaluator', manifest.evaluators, inspected.evaluators, (e) => e.name),
      services: keep('service', manifest.services, inspected.services, (s) => s.serviceType),
      models: keep('model', manifest.models, inspected.models, (m) => m),
      events: keep('event', manifest.events, inspected.events, (e) => e),
      routes: keep('route', manifest.routes, inspected.routes, (r) => `${r.type} ${r.path}`),
    },
    refused,
  };
}
