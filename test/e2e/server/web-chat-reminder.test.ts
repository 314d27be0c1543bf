import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { PLUGIN_CREATION_SERVICE } from '../../../src/service-types.js';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';
import { REMINDERS_SPEC } from '../creation/fixtures/recorded/reminders-plugin.js';

const TOKEN = 'web-chat-reminder-token-0123456789';
// The only fake part: the model answers every message with the plugin's action, as a model would here.
const SET_REMINDER = '<response><thought>The user wants a reminder.</thought><actions>SET_REMINDER</actions><providers></providers><text>Setting it.</text></response>';

const ChannelAnswer = z.object({ success: z.literal(true), data: z.object({ id: z.string(), messageServerId: z.string() }) });
const MessagesAnswer = z.object({
  success: z.literal(true),
  data: z.object({ messages: z.array(z.object({ content: z.string(), authorId: z.string(), sourceType: z.string().nullish() })) }),
});

/*
 * Issue 16, "a fired reminder reaches an open chat", on the real @elizaos/server 1.7.2: a template plugin
 * made by plugin-dynamic, a user in a web-client direct chat (its messages sent through the server's
 * messaging API with the web client's source, "client_chat"), and the server's own message bus. The
 * reminder the plugin fires must appear in the channel the web client shows.
 */
describe('a fired reminder reaches the web client chat it was set in', () => {
  let server: RealAgentServer;
  const user = randomUUID();

  beforeAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    server = await startRealAgentServer({
      settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN, PLUGIN_DYNAMIC_GENERATOR: 'template' },
      model: () => SET_REMINDER,
    });
    const creation = server.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
    const queued = await creation.createFromSpec(REMINDERS_SPEC, { generator: 'template', activate: true });
    const job = await creation.waitForJob(queued.id);
    expect(job.status, JSON.stringify([job.error, job.iterations.at(-1)])).toBe('succeeded');
  }, 600_000);
  afterAll(async () => {
    await server?.close();
  });

  const channelMessages = async (channelId: string) => {
    const res = await fetch(`${server.url}/api/messaging/channels/${channelId}/messages?limit=50`);
    return MessagesAnswer.parse(await res.json()).data.messages;
  };

  it('posts "Reminder: stretch" from the agent into the channel, after the action\'s own answer', async () => {
    // The direct chat the web client opens with the agent.
    const dm = await fetch(`${server.url}/api/messaging/dm-channel?targetUserId=${server.agentId}&currentUserId=${user}`);
    const channel = ChannelAnswer.parse(await dm.json()).data;
    const sent = await fetch(`${server.url}/api/messaging/channels/${channel.id}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        author_id: user,
        content: 'remind me to stretch in 3 seconds',
        message_server_id: channel.messageServerId,
        source_type: 'client_chat',
        raw_message: { text: 'remind me to stretch in 3 seconds' },
        metadata: { user_display_name: 'User', channelType: 'DM' },
      }),
    });
    expect(sent.status).toBeLessThan(300);

    const fromAgent = async () => (await channelMessages(channel.id)).filter((m) => m.authorId === server.agentId).map((m) => m.content);
    // The action's answer comes back through the server's reply path...
    await expect.poll(fromAgent, { timeout: 120_000, interval: 1000 }).toContainEqual(expect.stringMatching(/^OK, I will remind you "stretch" at /));
    // ...and the fired reminder through plugin-dynamic's send handler for "client_chat".
    await expect.poll(fromAgent, { timeout: 60_000, interval: 1000 }).toContain('Reminder: stretch');
    expect((await fromAgent()).filter((t) => t === 'Reminder: stretch')).toHaveLength(1);
  }, 240_000);
});
