import type { HandlerCallback, IAgentRuntime, Memory, TargetInfo } from '@elizaos/core';

/**
 * Sends a progress line of a long step (a creation) into the conversation as it happens. Core 1.7's
 * processActions holds an action's callback answers until the action ends (its storageCallback), so
 * lines sent through the callback would all arrive together at the end. Where the message's source has
 * a send handler (the web client's, registered by web-chat-send.ts, or a connector's), the line is
 * posted through runtime.sendMessageToTarget to the room at once; otherwise, or if that fails, it goes
 * through the callback.
 */
export function progressSender(runtime: IAgentRuntime, message: Memory, callback: HandlerCallback | undefined, action: string): (text: string) => Promise<void> {
  const source = typeof message.content.source === 'string' ? message.content.source : undefined;
  const target: TargetInfo | undefined = source ? { source, roomId: message.roomId } : undefined;
  return async (text) => {
    if (target && hasSendHandler(runtime, target.source)) {
      try {
        await runtime.sendMessageToTarget(target, { text, actions: [action] });
        return;
      } catch {
        // Core logged why; the callback still reaches the conversation, later.
      }
    }
    await callback?.({ text, actions: [action] });
  };
}

/** Whether core has a send handler for a source (core 1.7 keeps them in a private map; read with a check, never written). */
function hasSendHandler(runtime: IAgentRuntime, source: string): boolean {
  const handlers = (runtime as unknown as { sendHandlers?: unknown }).sendHandlers;
  return handlers instanceof Map && handlers.has(source);
}
