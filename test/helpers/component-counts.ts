import type { AgentRuntime } from '@elizaos/core';

/** Counts of every runtime collection a plugin can add to, read straight off the runtime. */
export function componentCounts(runtime: AgentRuntime) {
  return {
    actions: runtime.actions.length,
    providers: runtime.providers.length,
    evaluators: runtime.evaluators.length,
    plugins: runtime.plugins.length,
    routes: runtime.routes.length,
    services: runtime.services.size,
    events: Object.values(runtime.events).reduce((n, handlers) => n + (handlers?.length ?? 0), 0),
    models: [...runtime.models.values()].reduce((n, handlers) => n + handlers.length, 0),
    taskWorkers: (runtime as unknown as { taskWorkers: Map<string, unknown> }).taskWorkers.size,
  };
}
