import { randomUUID } from 'node:crypto';
import {
  ChannelType,
  createUniqueUuid,
  type ActionResult,
  type Content,
  type IAgentRuntime,
  type Memory,
  type UUID,
} from '@elizaos/core';

export interface ActionRun {
  results: ActionResult[];
  /** Everything the action sent through its callback. */
  replies: Content[];
}

/**
 * Runs an action the way the runtime does after the model chose it: a user message stored in a
 * real room (entity, world and room made with ensureConnection), a response memory naming the
 * action, runtime.processActions, then runtime.getActionResults. An action that is not loaded
 * gives no results, as in the runtime.
 */
export async function runAction(runtime: IAgentRuntime, actionName: string, text: string): Promise<ActionRun> {
  const entityId = createUniqueUuid(runtime, 'cli-user');
  const roomId = createUniqueUuid(runtime, 'cli-room');
  const worldId = createUniqueUuid(runtime, 'cli-world');
  await runtime.ensureConnection({
    entityId,
    roomId,
    worldId,
    userName: 'cli',
    name: 'CLI user',
    source: 'cli',
    type: ChannelType.DM,
  });
  const message: Memory = {
    id: randomUUID(),
    entityId,
    agentId: runtime.agentId,
    roomId,
    content: { text, source: 'cli' },
    createdAt: Date.now(),
  };
  await runtime.createMemory(message, 'messages');
  const response: Memory = {
    id: randomUUID(),
    entityId: runtime.agentId,
    agentId: runtime.agentId,
    roomId,
    content: { text: '', actions: [actionName], source: 'cli' },
    createdAt: Date.now(),
  };
  const replies: Content[] = [];
  await runtime.processActions(message, [response], undefined, async (content) => {
    replies.push(content);
    return [];
  });
  return { results: runtime.getActionResults(message.id as UUID), replies };
}
