import type { PluginSpec } from '../../spec/plugin-spec.js';
import { lit } from './naming.js';
import { snakeCase } from '../../spec/identifiers.js';

/** Where a plugin's reminders live: the tag of their tasks (also the task name) and the scheduler's service type. */
export function scheduleNames(spec: PluginSpec): { tag: string; serviceType: string } {
  const base = snakeCase(spec.name.replace(/^@[^/]+\//, '')) || 'plugin';
  return { tag: `${base}_reminder`, serviceType: `${base}_scheduler` };
}

/** src/plugin-info.ts: the plugin's name, and where its reminders live. */
export function pluginInfoSource(spec: PluginSpec): string {
  const { tag, serviceType } = scheduleNames(spec);
  return `import type { Schedule } from './schedule.js';

export const PLUGIN_NAME = ${lit(spec.name)};
export const SCHEDULE: Schedule = { plugin: PLUGIN_NAME, tag: ${lit(tag)}, noun: 'reminder' };
export const SCHEDULER_SERVICE_TYPE = ${lit(serviceType)};
`;
}

/** src/plugin-info.ts without reminders. */
export function pluginNameSource(spec: PluginSpec): string {
  return `export const PLUGIN_NAME = ${lit(spec.name)};\n`;
}

/**
 * src/__tests__/support.ts: a message and a runtime double for unit tests without a database. It
 * keeps the cache, tasks and memories in maps, the way the agent's database would, and records what
 * the plugin posts (runtime.sendMessageToTarget).
 */
export const TEST_SUPPORT_SOURCE = `import type { Content, IAgentRuntime, Memory, TargetInfo, Task, UUID } from '@elizaos/core';

const ID = '00000000-0000-0000-0000-000000000001' as UUID;

export function testMessage(text: string, who: string = ID): Memory {
  return { id: ID, entityId: who as UUID, agentId: ID, roomId: ID, content: { text, source: 'test' }, createdAt: Date.now() };
}

export interface TestRuntime extends IAgentRuntime {
  tasksStored: Map<string, Task>;
  memoriesStored: Memory[];
  posted: { target: TargetInfo; content: Content }[];
}

export function testRuntime(settings: Record<string, string> = {}): TestRuntime {
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
  const cache = new Map<string, unknown>();
  const tasks = new Map<string, Task>();
  const memories: Memory[] = [];
  const posted: { target: TargetInfo; content: Content }[] = [];
  let next = 1;
  const double = {
    agentId: ID,
    logger,
    tasksStored: tasks,
    memoriesStored: memories,
    posted,
    getSetting: (key: string) => settings[key] ?? null,
    getCache: async (key: string) => structuredClone(cache.get(key)),
    setCache: async (key: string, value: unknown) => {
      cache.set(key, structuredClone(value));
      return true;
    },
    deleteCache: async (key: string) => cache.delete(key),
    createTask: async (task: Task) => {
      const id = \`00000000-0000-0000-0000-\${String(next++).padStart(12, '0')}\` as UUID;
      tasks.set(id, { ...task, id });
      return id;
    },
    getTasks: async (params: { tags?: string[]; roomId?: UUID }) =>
      [...tasks.values()].filter((t) => (params.tags ?? []).every((tag) => t.tags?.includes(tag)) && (!params.roomId || t.roomId === params.roomId)),
    deleteTask: async (id: UUID) => {
      tasks.delete(id);
    },
    createMemory: async (memory: Memory) => {
      memories.push(memory);
      return ID;
    },
    sendMessageToTarget: async (target: TargetInfo, content: Content) => {
      posted.push({ target, content });
    },
  };
  return double as unknown as TestRuntime;
}
`;
