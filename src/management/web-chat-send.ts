import type { Content, IAgentRuntime, TargetInfo, UUID } from '@elizaos/core';
import { z } from 'zod';
import { codedError } from '../errors.js';

/*
 * Posting to the ElizaOS web client. A plugin posts with core's runtime.sendMessageToTarget({ source,
 * roomId }, content), which calls the send handler registered for the source; @elizaos/server 1.7.2
 * registers none for the sources its own message path gives to web-client messages, so a post (a fired
 * reminder, say) never reached the open chat. This registers one for each of those sources: it hands the
 * post to the server's MessageBusService, the same call the server uses for the agent's replies.
 * @elizaos/server is not a runtime dependency of plugin-dynamic: the service is found by its type at
 * send time and checked structurally.
 */

/** The `content.source` the real server 1.7.2 gives a message from its web client, by where it comes from. */
export const WEB_CHAT_SOURCES = [
  // The web client's own source for a direct chat with an agent (its constant for DM channels).
  'client_chat',
  // The web client's source for a group channel.
  'client_group_chat',
  // The server's socket.io handler, for a message sent without a source.
  'socketio_client',
  // POST /api/messaging/channels/:id/messages without a source_type.
  'eliza_gui',
  // MessageBusService itself, for a bus message without a source_type.
  'central-bus',
] as const;

/** The server's service that turns channel messages into agent memories and posts the agent's answers back. */
export const MESSAGE_BUS_SERVICE = 'message-bus-service';

/** The longest post handed to the web chat; a longer one is cut, never refused. */
export const MAX_WEB_CHAT_POST_CHARS = 4000;

/** The one method of the server's MessageBusService this uses (its 1.7.2 signature). */
interface MessageBus {
  sendAgentResponseToBus(agentRoomId: string, agentWorldId: string, content: Content, inReplyToAgentMemoryId?: string, originalMessage?: unknown): Promise<void>;
}

function isMessageBus(service: unknown): service is MessageBus {
  return typeof service === 'object' && service !== null && typeof (service as Partial<MessageBus>).sendAgentResponseToBus === 'function';
}

// Any 8-4-4-4-12 hex id: core's ids are not all RFC 4122 (the default message server is all zeros).
const uuid = z.guid().transform((id) => id as UUID);
/** What the server's bus needs from the room and its world to address the channel. */
const RoomShape = z.object({ worldId: uuid, channelId: z.string().min(1) });
const WorldShape = z.object({ messageServerId: uuid });
const PostShape = z.object({ text: z.string().trim().min(1) });

const unavailable = (problem: string) => codedError('WEB_CHAT_UNAVAILABLE', { problem });

/** Posts `content.text` to the web-client channel behind `target.roomId`, through the server's message bus. */
export async function sendToWebChat(runtime: IAgentRuntime, target: TargetInfo, content: Content): Promise<void> {
  const bus: unknown = runtime.getService(MESSAGE_BUS_SERVICE);
  if (!isMessageBus(bus)) {
    throw unavailable(`the agent runs without the ElizaOS server's ${MESSAGE_BUS_SERVICE} (headless, or another host), so there is no web chat to post to`);
  }
  const post = PostShape.safeParse(content);
  if (!post.success) throw unavailable('the post has no text');
  if (!target.roomId) throw unavailable('the post names no room');
  const room = RoomShape.safeParse(await runtime.getRoom(target.roomId));
  if (!room.success) throw unavailable(`room ${target.roomId} is not a channel of the server's messaging (it has no channel or world)`);
  const world = WorldShape.safeParse(await runtime.getWorld(room.data.worldId));
  if (!world.success) throw unavailable(`the world of room ${target.roomId} names no message server`);
  const text = post.data.text.length > MAX_WEB_CHAT_POST_CHARS ? post.data.text.slice(0, MAX_WEB_CHAT_POST_CHARS - 1) + '…' : post.data.text;
  await bus.sendAgentResponseToBus(target.roomId, room.data.worldId, { text, source: target.source });
}

/** The handlers core already holds, by source; undefined when this core keeps them where it cannot be read. */
function registeredSources(runtime: IAgentRuntime): ReadonlySet<string> | undefined {
  const handlers: unknown = (runtime as unknown as { sendHandlers?: unknown }).sendHandlers;
  return handlers instanceof Map ? new Set([...handlers.keys()].filter((k): k is string => typeof k === 'string')) : undefined;
}

/**
 * Registers sendToWebChat for each web-client source that has no send handler yet; a handler another
 * plugin registered first is kept. Returns the sources it registered.
 */
export function registerWebChatSend(runtime: IAgentRuntime): string[] {
  const taken = registeredSources(runtime);
  if (!taken) {
    runtime.logger.warn({ src: 'plugin-dynamic' }, 'Web chat posting not registered: this ElizaOS core does not show which send handlers exist, and plugin-dynamic never replaces one.');
    return [];
  }
  const added = WEB_CHAT_SOURCES.filter((source) => !taken.has(source));
  for (const source of added) runtime.registerSendHandler(source, sendToWebChat);
  return added;
}
