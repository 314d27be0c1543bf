import type { Content, TargetInfo } from '@elizaos/core';
import { describe, expect, it } from 'vitest';
import { MAX_POSTS_PER_MINUTE, PostingScope, SEND_MESSAGE_ARGS } from '../../../../src/management/host/posting-scope.js';
import { grantPermissions, permissionRefusals } from '../../../../src/management/permissions/permission-grants.js';
import { LEAST_PERMISSIONS } from '../../../../src/management/permissions/plugin-permissions.js';

const ROOM = '00000000-0000-0000-0000-0000000000a1';
const OTHER_ROOM = '00000000-0000-0000-0000-0000000000a2';
const SETTINGS_ROOM = '00000000-0000-0000-0000-0000000000a3';
const USER = '00000000-0000-0000-0000-0000000000b1';

const quiet = { warn: () => undefined };

function scopeWithClock(settings: Record<string, string> = {}, postToRooms = true) {
  const sent: { target: TargetInfo; content: Content }[] = [];
  const clock = { now: 0 };
  const runtime = {
    sendMessageToTarget: async (target: TargetInfo, content: Content) => {
      sent.push({ target, content });
    },
  };
  grantPermissions(runtime, 'plugin-x', { ...LEAST_PERMISSIONS, postToRooms }, quiet);
  return { scope: new PostingScope(runtime, 'plugin-x', settings, () => clock.now), sent, clock, runtime };
}

describe('where an isolated plugin may post', () => {
  it('posts nowhere unless its permissions declare postToRooms, even to the room it was invoked from', async () => {
    const { scope, sent, runtime } = scopeWithClock({}, false);
    scope.noteInvocation({ roomId: ROOM, entityId: USER });
    await expect(scope.send({ source: 'discord', roomId: ROOM }, { text: 'hi' })).rejects.toMatchObject({ code: 'PERMISSION_NOT_DECLARED' });
    expect(sent).toEqual([]);
    expect(permissionRefusals(runtime, 'plugin-x')).toEqual(['post to rooms']);
  });

  it('posts to a room it was invoked from, through core send', async () => {
    const { scope, sent } = scopeWithClock();
    scope.noteInvocation({ roomId: ROOM, entityId: USER, content: { text: 'remind me' } });
    await scope.send({ source: 'discord', roomId: ROOM }, { text: 'time to stretch' });
    expect(sent).toEqual([{ target: { source: 'discord', roomId: ROOM }, content: { text: 'time to stretch' } }]);
  });

  it('refuses a room it was never invoked from, unless one of its settings names it', async () => {
    const { scope, sent } = scopeWithClock({ STANDUP_ROOM: SETTINGS_ROOM });
    scope.noteInvocation({ roomId: ROOM, entityId: USER });
    await expect(scope.send({ source: 'discord', roomId: OTHER_ROOM }, { text: 'hi' })).rejects.toMatchObject({ code: 'HOST_UNSUPPORTED_METHOD' });
    await scope.send({ source: 'discord', roomId: SETTINGS_ROOM }, { text: 'stand-up' });
    scope.setSettings({});
    await expect(scope.send({ source: 'discord', roomId: SETTINGS_ROOM }, { text: 'again' })).rejects.toMatchObject({ code: 'HOST_UNSUPPORTED_METHOD' });
    expect(sent).toHaveLength(1);
  });

  it('refuses an entity it never met, even in a room it knows', async () => {
    const { scope } = scopeWithClock();
    scope.noteInvocation({ roomId: ROOM, entityId: USER });
    await expect(scope.send({ source: 'discord', roomId: ROOM, entityId: '00000000-0000-0000-0000-0000000000b9' }, { text: 'hi' })).rejects.toMatchObject({
      code: 'HOST_UNSUPPORTED_METHOD',
    });
  });

  it('posts at most MAX_POSTS_PER_MINUTE a minute, then again in the next minute', async () => {
    const { scope, sent, clock } = scopeWithClock();
    scope.noteInvocation({ roomId: ROOM });
    for (let i = 0; i < MAX_POSTS_PER_MINUTE; i++) await scope.send({ source: 's', roomId: ROOM }, { text: `${i}` });
    await expect(scope.send({ source: 's', roomId: ROOM }, { text: 'one too many' })).rejects.toMatchObject({ code: 'HOST_LIMIT_REACHED' });
    clock.now += 60_000;
    await scope.send({ source: 's', roomId: ROOM }, { text: 'next minute' });
    expect(sent).toHaveLength(MAX_POSTS_PER_MINUTE + 1);
  });

  it('accepts only a target with a room or an entity, and a content object', () => {
    expect(SEND_MESSAGE_ARGS.safeParse([{ source: 's', roomId: ROOM }, { text: 'x' }]).success).toBe(true);
    expect(SEND_MESSAGE_ARGS.safeParse([{ source: 's' }, { text: 'x' }]).success).toBe(false);
    expect(SEND_MESSAGE_ARGS.safeParse([{ source: 's', roomId: ROOM }, 'x']).success).toBe(false);
  });
});
