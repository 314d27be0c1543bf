import type { IAgentRuntime } from '@elizaos/core';

/**
 * Every collection a plugin can add to in a 1.7 AgentRuntime. Core 1.7 has no unregister API, so
 * the loader reads and edits these directly; the TypeScript-private maps are reached through this
 * one accessor so the coupling to core's internals sits in a single place.
 */
export interface RuntimeCollections {
  actions: unknown[];
  providers: unknown[];
  evaluators: unknown[];
  plugins: { name: string }[];
  routes: unknown[];
  services: Map<string, unknown[]>;
  models: Map<string, unknown[]>;
  events: Record<string, unknown[] | undefined>;
  serviceTypes: Map<string, unknown[]>;
  serviceRegistrationStatus: Map<string, unknown>;
  servicePromises: Map<string, unknown>;
  servicePromiseHandlers: Map<string, unknown>;
  taskWorkers: Map<string, unknown>;
  sendHandlers: Map<string, unknown>;
}

const emptyMap = <V>(): Map<string, V> => new Map<string, V>();

export function runtimeCollections(runtime: IAgentRuntime): RuntimeCollections {
  const r = runtime as unknown as Partial<RuntimeCollections>;
  return {
    actions: r.actions ?? [],
    providers: r.providers ?? [],
    evaluators: r.evaluators ?? [],
    plugins: r.plugins ?? [],
    routes: r.routes ?? [],
    services: r.services ?? emptyMap(),
    models: r.models ?? emptyMap(),
    events: r.events ?? {},
    serviceTypes: r.serviceTypes ?? emptyMap(),
    serviceRegistrationStatus: r.serviceRegistrationStatus ?? emptyMap(),
    servicePromises: r.servicePromises ?? emptyMap(),
    servicePromiseHandlers: r.servicePromiseHandlers ?? emptyMap(),
    taskWorkers: r.taskWorkers ?? emptyMap(),
    sendHandlers: r.sendHandlers ?? emptyMap(),
  };
}
