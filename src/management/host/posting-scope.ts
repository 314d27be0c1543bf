import type { IAgentRuntime, TargetInfo, UUID } from '@elizaos/core';
import { z } from 'zod';
import { PluginDynamicError } from '../../errors.js';
import { grantedPermissions, refuseUndeclared } from '../permissions/permission-grants.js';

/** Messages one isolated plugin may post in a minute. */
export const MAX_POSTS_PER_MINUTE = 20;
/** Rooms and entities remembered per plugin (the oldest are forgotten first). */
const MAX_REMEMBERED = 1_000;

const id = z.string().min(1).max(100);
const TargetSchema = z
  .object({
    source: z.string().min(1).max(100),
    roomId: id.optional(),
    entityId: id.optional(),
    channelId: z.string().max(200).optional(),
    serverId: z.string().max(200).optional(),
    threadId: z.string().max(200).optional(),
  })
  .refine((t) => t.roomId !== undefined || t.entityId !== undefined, { message: 'a target needs a roomId or an entityId' });
const ContentSchema = z.object({ text: z.string().max(20_000).optional() }).catchall(z.unknown());

/** Arguments of runtime.sendMessageToTarget as an isolated plugin may send them. */
export const SEND_MESSAGE_ARGS = z.tuple([TargetSchema, ContentSchema]);

class Remembered {
  private readonly values = new Set<string>();

  add(value: unknown): void {
    if (typeof value !== 'string' || value === '') return;
    this.values.delete(value);
    this.values.add(value);
    if (this.values.size > MAX_REMEMBERED) this.values.delete(this.values.values().next().value as string);
  }

  has(value: string | undefined): boolean {
    return value !== undefined && this.values.has(value);
  }
}

/**
 * Whether an isolated plugin may post at all: only when its granted permissions say postToRooms.
 * Where it may post: rooms and entities it was invoked from (an action, provider or
 * evaluator call carried their message), or that one of its own settings names. Posting goes
 * through core's runtime.sendMessageToTarget, at most MAX_POSTS_PER_MINUTE a minute.
 */
export class PostingScope {
  private readonly rooms = new Remembered();
  private readonly entities = new Remembered();
  private settingValues = new Set<string>();
  private window = { start: 0, count: 0 };

  constructor(
    private readonly runtime: Pick<IAgentRuntime, 'sendMessageToTarget'>,
    private readonly pluginName: string,
    settings: Record<string, string>,
    private readonly now: () => number = Date.now,
  ) {
    this.setSettings(settings);
  }

  /** Remembers the room and entity of a message the plugin was called with. */
  noteInvocation(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as { roomId?: unknown; entityId?: unknown };
    this.rooms.add(m.roomId);
    this.entities.add(m.entityId);
  }

  /** The plugin's settings as they are now (after configure). */
  setSettings(values: Record<string, string>): void {
    this.settingValues = new Set(Object.values(values).map((v) => v.trim()).filter(Boolean));
  }

  private allows(target: { roomId?: string | undefined; entityId?: string | undefined }): boolean {
    const known = (value: string | undefined): boolean => value !== undefined && this.settingValues.has(value);
    if (target.roomId !== undefined && !this.rooms.has(target.roomId) && !known(target.roomId)) return false;
    if (target.entityId !== undefined && !this.entities.has(target.entityId) && !known(target.entityId)) return false;
    return true;
  }

  /** runtime.sendMessageToTarget for the plugin: checked against the scope, then counted. */
  async send(target: z.infer<typeof TargetSchema>, content: z.infer<typeof ContentSchema>): Promise<void> {
    if (!grantedPermissions(this.runtime, this.pluginName).postToRooms) throw refuseUndeclared(this.runtime, this.pluginName, 'post to rooms');
    if (!this.allows(target)) {
      throw new PluginDynamicError(
        'HOST_UNSUPPORTED_METHOD',
        `${this.pluginName} may post only to rooms and entities it was invoked from or that its settings name; ${target.roomId ?? target.entityId} is neither.`,
      );
    }
    const now = this.now();
    if (now - this.window.start >= 60_000) this.window = { start: now, count: 0 };
    if (++this.window.count > MAX_POSTS_PER_MINUTE) {
      throw new PluginDynamicError('HOST_LIMIT_REACHED', `${this.pluginName} posted ${MAX_POSTS_PER_MINUTE} messages this minute; it may post again in the next.`);
    }
    const to: TargetInfo = {
      ...target,
      ...(target.roomId ? { roomId: target.roomId as UUID } : {}),
      ...(target.entityId ? { entityId: target.entityId as UUID } : {}),
    } as TargetInfo;
    await this.runtime.sendMessageToTarget(to, content);
  }
}
