import { Role, type IAgentRuntime, type Memory } from '@elizaos/core';

/** Why a person may extend the agent, or that they may not. */
export type ExtendAccess = { allowed: true; as: 'owner' | 'admin' | 'listed' } | { allowed: false };

/**
 * Who may have the agent add plugins: an entity id listed in PLUGIN_DYNAMIC_EXTEND_ALLOWED, or the
 * owner or an admin of the world the conversation's room belongs to, as ElizaOS 1.x records them
 * (`world.metadata.ownership.ownerId`, `world.metadata.roles[entityId]`, what core's
 * getUserServerRole reads). Everyone else may ask but not extend.
 */
export async function extendAccess(runtime: IAgentRuntime, message: Memory, listed: readonly string[]): Promise<ExtendAccess> {
  const entityId = message.entityId;
  if (listed.includes(entityId)) return { allowed: true, as: 'listed' };
  const room = await runtime.getRoom(message.roomId);
  const world = room?.worldId ? await runtime.getWorld(room.worldId) : null;
  const metadata = world?.metadata;
  if (metadata?.ownership?.ownerId === entityId) return { allowed: true, as: 'owner' };
  const role = metadata?.roles?.[entityId];
  if (role === Role.OWNER) return { allowed: true, as: 'owner' };
  if (role === Role.ADMIN) return { allowed: true, as: 'admin' };
  return { allowed: false };
}
