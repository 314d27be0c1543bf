import { randomUUID } from 'node:crypto';
import type { Content, HandlerCallback, IAgentRuntime, Memory, UUID } from '@elizaos/core';
import type { PluginView } from '../management/plugin-view.js';
import { searchWords } from './request-screen.js';

/** The action of a plugin that fits a request best: its only one, else the one sharing most words. */
export function actionFor(plugin: PluginView, request: string): string | undefined {
  const actions = plugin.components.actions;
  if (actions.length <= 1) return actions[0];
  const words = new Set(searchWords(request, 20).map((w) => w.replace(/s$/, '')));
  const score = (name: string) => name.toLowerCase().split('_').filter((w) => words.has(w.replace(/s$/, ''))).length;
  return [...actions].sort((a, b) => score(b) - score(a))[0];
}

/**
 * Runs the original request against a newly loaded action, in the same room, the way the runtime
 * runs an action the model chose: the stored request message (or one like it when it is gone), a
 * response naming the action, runtime.processActions, and the action's answer sent on through the
 * conversation's callback.
 */
export async function runRequest(input: {
  runtime: IAgentRuntime;
  action: string;
  request: string;
  requestMessageId: string | undefined;
  roomId: string;
  entityId: string;
  callback: HandlerCallback | undefined;
}): Promise<{ success: boolean; text: string; forwarded: boolean }> {
  const { runtime } = input;
  const stored = input.requestMessageId ? await runtime.getMemoryById(input.requestMessageId as UUID) : null;
  const message: Memory = stored ?? {
    id: randomUUID(),
    entityId: input.entityId as UUID,
    agentId: runtime.agentId,
    roomId: input.roomId as UUID,
    content: { text: input.request, source: 'plugin-dynamic' },
    createdAt: Date.now(),
  };
  const response: Memory = {
    id: randomUUID(),
    entityId: runtime.agentId,
    agentId: runtime.agentId,
    roomId: message.roomId,
    content: { text: '', actions: [input.action], source: 'plugin-dynamic' },
    createdAt: Date.now(),
  };
  const replies: string[] = [];
  await runtime.processActions(message, [response], undefined, async (content: Content) => {
    if (content.text) replies.push(content.text);
    return input.callback ? input.callback(content) : [];
  });
  const result = runtime.getActionResults(message.id as UUID).at(-1);
  const text = result?.text ?? replies.join('\n');
  return { success: result?.success ?? replies.length > 0, text: text || '(the action gave no answer)', forwarded: replies.length > 0 && input.callback !== undefined };
}
