import type { IAgentRuntime, TaskWorker } from '@elizaos/core';
import { codedError, PluginDynamicError } from '../../errors.js';
import { runtimeCollections } from '../loader/runtime-collections.js';
import { grantedPermissions, refuseUndeclared } from '../permissions/permission-grants.js';
import { toJsonSafe } from './json-frames.js';
import type { PluginHost } from './plugin-host.js';
import type { Json } from './protocol.js';

/** Task workers one isolated plugin may have registered at once. */
export const MAX_TASK_WORKERS = 16;

type StubWorker = TaskWorker & { isolatedFor: string };

/**
 * The task workers an isolated plugin registered from its host, at any time (during init or long
 * after): each is a stub in the agent that runs the worker in the host. Only names its granted
 * permissions list (agentConfig.permissions.taskWorkers) are taken, at most MAX_TASK_WORKERS per plugin; all of them leave the runtime when the plugin's host ends (core 1.7 has no
 * unregister call, so they are taken out of its map, and only while they are still this plugin's).
 */
export class HostTaskWorkers {
  private readonly names = new Set<string>();

  constructor(
    private readonly runtime: IAgentRuntime,
    private readonly packageName: string,
  ) {}

  register(host: PluginHost, name: string, hasValidate: boolean): void {
    if (!grantedPermissions(this.runtime, this.packageName).taskWorkers.includes(name)) {
      throw refuseUndeclared(this.runtime, this.packageName, `register task worker ${name.slice(0, 200)}`);
    }
    const existing = this.runtime.getTaskWorker(name) as StubWorker | undefined;
    if (existing && existing.isolatedFor !== this.packageName) {
      throw new PluginDynamicError('COMPONENT_CONFLICT', `A task worker named ${name} is registered already.`);
    }
    if (!this.names.has(name) && this.names.size >= MAX_TASK_WORKERS) {
      throw codedError('HOST_LIMIT_REACHED', { plugin: this.packageName, bound: `${MAX_TASK_WORKERS} task workers` });
    }
    const worker: StubWorker = {
      name,
      isolatedFor: this.packageName,
      execute: async (_rt, options, task) => {
        await host.call('taskExecute', [name, (toJsonSafe(options) ?? {}) as Json, (toJsonSafe(task) ?? null) as Json]);
      },
      ...(hasValidate
        ? {
            validate: async (_rt: IAgentRuntime, message: unknown, state: unknown) => {
              try {
                return (await host.call('taskValidate', [name, (toJsonSafe(message) ?? null) as Json, (toJsonSafe(state) ?? null) as Json])) === true;
              } catch {
                return false;
              }
            },
          }
        : {}),
    };
    this.names.add(name);
    // A re-registration replaces the stub (the runtime would keep the first one and warn).
    if (existing) runtimeCollections(this.runtime).taskWorkers.delete(name);
    this.runtime.registerTaskWorker(worker);
  }

  /** Takes every worker this plugin registered out of the runtime. */
  removeAll(): void {
    const workers = runtimeCollections(this.runtime).taskWorkers;
    for (const name of this.names) {
      if ((workers.get(name) as StubWorker | undefined)?.isolatedFor === this.packageName) workers.delete(name);
    }
    this.names.clear();
  }
}
