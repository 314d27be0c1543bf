import { randomUUID } from 'node:crypto';
import { createUniqueUuid, type Content, type Memory, type TargetInfo } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressSender } from '../../../src/extension/progress-line.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/*
 * Core 1.7's processActions holds an action's callback answers until the action ends, so a creation's
 * progress lines sent through the callback would arrive together at its end. Where the message's source
 * has a send handler, each line is posted to the room at once instead; otherwise the callback carries it.
 */
describe("a self-extension's progress lines, in a real runtime", () => {
  let t: TestRuntime;
  const posted: { target: TargetInfo; content: Content }[] = [];

  beforeAll(async () => {
    t = await createTestRuntime({ plugins: [] });
    t.runtime.registerSendHandler('live-chat', async (_rt, target, content) => {
      posted.push({ target, content });
    });
  });
  afterAll(async () => t?.cleanup());

  const message = (source: string): Memory => ({
    id: randomUUID(),
    entityId: createUniqueUuid(t.runtime, 'someone'),
    agentId: t.runtime.agentId,
    roomId: createUniqueUuid(t.runtime, `room-${source}`),
    content: { text: 'roll two dice', source },
  });

  it('posts each line to the room as it happens when its source has a send handler, not through the callback', async () => {
    const held: Content[] = [];
    const asked = message('live-chat');
    const send = progressSender(t.runtime, asked, async (content) => {
      held.push(content);
      return [];
    }, 'EXTEND_CAPABILITIES');
    await send('Creating plugin-dice: build...');
    expect(posted).toEqual([{ target: { source: 'live-chat', roomId: asked.roomId }, content: { text: 'Creating plugin-dice: build...', actions: ['EXTEND_CAPABILITIES'] } }]);
    expect(held).toEqual([]);
  });

  it('uses the callback where the source has no send handler', async () => {
    const held: Content[] = [];
    const before = posted.length;
    const send = progressSender(t.runtime, message('cli'), async (content) => {
      held.push(content);
      return [];
    }, 'EXTEND_CAPABILITIES');
    await send('Creating plugin-dice: test...');
    expect(held).toEqual([{ text: 'Creating plugin-dice: test...', actions: ['EXTEND_CAPABILITIES'] }]);
    expect(posted.length).toBe(before);
  });
});
