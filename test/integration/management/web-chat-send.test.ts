import { randomUUID } from 'node:crypto';
import { ChannelType, createUniqueUuid, type Content, type Memory, type Plugin, type TargetInfo } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReminder, fireDue, type Schedule } from '../../../src/creation/generators/template/runtime/schedule.js';
import { isPluginDynamicError } from '../../../src/errors.js';
import { pluginDynamic } from '../../../src/index.js';
import { MESSAGE_BUS_SERVICE, WEB_CHAT_SOURCES } from '../../../src/management/web-chat-send.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/** Another plugin that owns the web client's direct-chat source, registered before plugin-dynamic. */
const owned: { target: TargetInfo; content: Content }[] = [];
const chatOwner: Plugin = {
  name: 'plugin-owns-client-chat',
  description: 'Registers its own send handler for client_chat.',
  init: async (_config, runtime) => {
    runtime.registerSendHandler('client_chat', async (_rt, target, content) => {
      owned.push({ target, content });
    });
  },
};

/*
 * plugin-dynamic's send handlers for the web client's sources, in a real runtime without the ElizaOS
 * server (as under the headless CLI or a bare AgentRuntime): a handler another plugin registered
 * first is kept, and a post to the web chat refuses with WEB_CHAT_UNAVAILABLE, while a fired reminder
 * is still kept in the room's messages.
 */
describe('web chat send handlers without the ElizaOS server', () => {
  let t: TestRuntime;
  const roomId = () => createUniqueUuid(t.runtime, 'web-chat-room');

  beforeAll(async () => {
    t = await createTestRuntime({ plugins: [chatOwner, pluginDynamic] });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  });
  afterAll(async () => t?.cleanup());

  it('keeps the client_chat handler another plugin registered first', async () => {
    await t.runtime.sendMessageToTarget({ source: 'client_chat', roomId: roomId() }, { text: 'hello' });
    expect(owned).toEqual([{ target: { source: 'client_chat', roomId: roomId() }, content: { text: 'hello' } }]);
  });

  it('refuses a post to every other web source with WEB_CHAT_UNAVAILABLE, naming the missing service', async () => {
    expect(t.runtime.getService(MESSAGE_BUS_SERVICE)).toBeNull();
    for (const source of WEB_CHAT_SOURCES.filter((s) => s !== 'client_chat')) {
      const error: unknown = await t.runtime.sendMessageToTarget({ source, roomId: roomId() }, { text: 'hello' }).then(() => undefined, (e: unknown) => e);
      expect(isPluginDynamicError(error), `${source}: ${String(error)}`).toBe(true);
      expect(error).toMatchObject({ code: 'WEB_CHAT_UNAVAILABLE', message: expect.stringContaining(MESSAGE_BUS_SERVICE) });
    }
    expect(owned).toHaveLength(1);
  });

  it('leaves a source outside the web client without a handler', async () => {
    await expect(t.runtime.sendMessageToTarget({ source: 'discord', roomId: roomId() }, { text: 'hello' })).rejects.toThrow('No send handler registered for source: discord');
  });

  it("a template reminder set from a group web chat fires, is not posted, and is kept in the room's messages", async () => {
    const s: Schedule = { plugin: 'plugin-web-reminders', tag: 'plugin-web-reminders_reminder', noun: 'reminder' };
    const entityId = createUniqueUuid(t.runtime, 'web-chat-user');
    await t.runtime.ensureConnection({ entityId, roomId: roomId(), worldId: createUniqueUuid(t.runtime, 'web-chat-world'), userName: 'user', source: 'client_group_chat', type: ChannelType.GROUP });
    const message: Memory = { id: randomUUID(), entityId, agentId: t.runtime.agentId, roomId: roomId(), content: { text: 'remind me to stretch', source: 'client_group_chat' } };
    const set = await addReminder(t.runtime, message, s, 'stretch', new Date(Date.now() - 1000));
    expect(set.success, set.text).toBe(true);
    expect(await fireDue(t.runtime, s)).toBe(1);
    const kept = (await t.runtime.getMemories({ roomId: roomId(), tableName: 'messages', count: 20 })).filter((m) => m.content.text === 'Reminder: stretch');
    expect(kept.map((m) => [m.entityId, (m.content.metadata as { posted?: boolean }).posted])).toEqual([[t.runtime.agentId, false]]);
    expect(await t.runtime.getTasks({ tags: [s.tag] })).toEqual([]);
  });
});
