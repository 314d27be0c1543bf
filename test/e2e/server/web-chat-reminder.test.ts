import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChannelType, createUniqueUuid } from '@elizaos/core';
import { MAX_WEB_CHAT_POST_CHARS } from '../../../src/management/web-chat-send.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { PLUGIN_CREATION_SERVICE } from '../../../src/service-types.js';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';
import { REMINDERS_SPEC } from '../creation/fixtures/recorded/reminders-plugin.js';

const TOKEN = 'web-chat-reminder-token-0123456789';
const ARTIFACTS = join(process.cwd(), 'artifacts');
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
  let browser: BrowserContext | undefined;
  let profile: string | undefined;
  const user = randomUUID();
  let channelId = '';

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
    await browser?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const channelMessages = async (channelId: string) => {
    const res = await fetch(`${server.url}/api/messaging/channels/${channelId}/messages?limit=50`);
    return MessagesAnswer.parse(await res.json()).data.messages;
  };

  it('posts "Reminder: stretch" from the agent into the channel, after the action\'s own answer', async () => {
    // The direct chat the web client opens with the agent.
    const dm = await fetch(`${server.url}/api/messaging/dm-channel?targetUserId=${server.agentId}&currentUserId=${user}`);
    const channel = ChannelAnswer.parse(await dm.json()).data;
    channelId = channel.id;
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

  it('cuts a long post to its bound, and refuses a room that is no channel of the server with WEB_CHAT_UNAVAILABLE', async () => {
    const rt = server.runtime;
    const roomId = createUniqueUuid(rt, channelId);
    await rt.sendMessageToTarget({ source: 'client_chat', roomId }, { text: 'x'.repeat(MAX_WEB_CHAT_POST_CHARS + 1000) });
    const long = async () => (await channelMessages(channelId)).filter((m) => m.authorId === server.agentId && m.content.startsWith('xxx')).map((m) => m.content);
    await expect.poll(long, { timeout: 30_000, interval: 500 }).toEqual(['x'.repeat(MAX_WEB_CHAT_POST_CHARS - 1) + '…']);

    const worldId = createUniqueUuid(rt, 'not-a-server-world');
    await rt.ensureWorldExists({ id: worldId, name: 'elsewhere', agentId: rt.agentId });
    const elsewhere = createUniqueUuid(rt, 'not-a-server-channel');
    await rt.ensureRoomExists({ id: elsewhere, name: 'elsewhere', source: 'client_chat', type: ChannelType.DM, worldId });
    await expect(rt.sendMessageToTarget({ source: 'client_chat', roomId: elsewhere }, { text: 'hello' })).rejects.toMatchObject({
      code: 'WEB_CHAT_UNAVAILABLE',
      message: expect.stringContaining('is not a channel'),
    });
  });

  it('shows the reminder in the web client: typed in its chat box, fired, then on the page', async () => {
    profile = await mkdtemp(join(tmpdir(), 'pd-chromium-webchat-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1000, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage();
    await page.goto(`${server.url}/chat/${server.agentId}`);
    const box = page.getByPlaceholder('Type your message here...');
    await box.waitFor({ timeout: 60_000 });
    await box.fill('remind me to water the plants in 3 seconds');
    await box.press('Enter');
    await page.getByText(/^OK, I will remind you "water the plants" at /).waitFor({ timeout: 120_000 });
    await page.getByText('Reminder: water the plants', { exact: true }).waitFor({ timeout: 60_000 });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-reminder.png') });
  }, 240_000);
});
