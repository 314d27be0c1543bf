import type { IAgentRuntime, Plugin } from '@elizaos/core';
import { runtimeCollections } from './runtime-collections.js';

const named = (items: unknown[]): Set<string> =>
  new Set(items.map((i) => (i as { name?: unknown }).name).filter((n): n is string => typeof n === 'string'));

/**
 * Names of the plugin's components that something already in the runtime uses. The runtime would
 * silently skip a duplicate action and pile up duplicate providers, so a clash is refused up front.
 */
export function findConflicts(runtime: IAgentRuntime, plugin: Plugin): string[] {
  const c = runtimeCollections(runtime);
  const conflicts: string[] = [];
  if (c.plugins.some((p) => p.name === plugin.name)) conflicts.push(`plugin ${plugin.name}`);
  const actions = named(c.actions);
  for (const a of plugin.actions ?? []) if (actions.has(a.name)) conflicts.push(`action ${a.name}`);
  const providers = named(c.providers);
  for (const p of plugin.providers ?? []) if (providers.has(p.name)) conflicts.push(`provider ${p.name}`);
  const evaluators = named(c.evaluators);
  for (const e of plugin.evaluators ?? []) if (evaluators.has(e.name)) conflicts.push(`evaluator ${e.name}`);
  for (const s of plugin.services ?? []) {
    const type = (s as { serviceType?: string }).serviceType;
    if (type && (c.services.has(type) || c.serviceTypes.has(type))) conflicts.push(`service ${type}`);
  }
  const routes = new Set(c.routes.map((r) => `${(r as { type?: string }).type} ${(r as { path?: string }).path}`));
  for (const r of plugin.routes ?? []) {
    const path = `/${plugin.name}${r.path.startsWith('/') ? r.path : `/${r.path}`}`;
    if (routes.has(`${r.type} ${path}`)) conflicts.push(`route ${r.type} ${path}`);
  }
  return conflicts;
}
