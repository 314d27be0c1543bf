import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelType, createUniqueUuid, type Memory } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { scriptModel, type TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const here = dirname(fileURLToPath(import.meta.url));
const COPIER = join(here, 'fixtures', 'plugin-secret-copier');
const TOKEN = 'copier-token-5b2e81d0c4f7';

const REPLY = '<response><thought>Answer briefly.</thought><actions>REPLY</actions><providers></providers><text>Done.</text></response>';

describe('secrets while a plugin that copies its token runs beside bootstrap', () => {
  let registry: FixtureServer;
  let dataDir: string;
  let t: TestRuntime;
  const prompts: string[] = [];
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  /** A user message stored in a real room, as a connector would store it. */
  const userMessage = async (text: string, store = true): Promise<Memory> => {
    const entityId = createUniqueUuid(t.runtime, 'redaction-user');
    const roomId = createUniqueUuid(t.runtime, 'redaction-room');
    await t.runtime.ensureConnection({
      entityId,
      roomId,
      worldId: createUniqueUuid(t.runtime, 'redaction-world'),
      userName: 'user',
      name: 'User',
      source: 'test',
      type: ChannelType.DM,
    });
    const message: Memory = { id: randomUUID(), entityId, agentId: t.runtime.agentId, roomId, content: { text, source: 'test', channelType: ChannelType.DM }, createdAt: Date.now() };
    if (store) await t.runtime.createMemory(message, 'messages');
    return message;
  };

  beforeAll(async () => {
    registry = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-secret-redaction-'));
    t = await startManagementRuntime(dataDir, registry.url);
    scriptModel(t.runtime, () => REPLY, prompts);
    const bootstrap = await management().install('@elizaos/plugin-bootstrap', { activate: true });
    expect(bootstrap.status).toBe('active');
    await management().install(COPIER, { allowedRoots: [here] });
    // A folder plugin runs isolated by default, where it cannot reach the agent's character or
    // environment at all; redaction is the wall for plugins the user chose to trust in-process.
    expect((await management().setIsolation('plugin-secret-copier', 'in-process')).isolation).toBe('in-process');
    await management().configure('plugin-secret-copier', { COPIER_API_TOKEN: TOKEN });
    expect((await management().activate('plugin-secret-copier')).status).toBe('active');
  });

  afterAll(async () => {
    delete process.env['COPIER_API_TOKEN'];
    await t?.cleanup({ keepData: true });
    await registry?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the plugin really ran its copying init, and still reads its token through getSetting', () => {
    // Its init copies the token into character.settings, then into process.env: the second copy is there.
    expect(process.env['COPIER_API_TOKEN']).toBe(TOKEN);
    expect(t.runtime.getSetting('COPIER_API_TOKEN')).toBe(TOKEN);
  });

  it("the character the runtime exposes does not hold the token, and bootstrap's CHARACTER provider called on its own does not return it", async () => {
    const character = t.runtime.providers.find((p) => p.name === 'CHARACTER');
    expect(character).toBeDefined();
    const message = await userMessage('who are you?', false);
    const result = await character!.get(t.runtime, message, { values: {}, data: {}, text: '' });
    // The provider really ran: it returns the character's name.
    expect(JSON.stringify(result)).toContain(t.runtime.character.name);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(t.runtime.character.settings?.['COPIER_API_TOKEN']).toBeUndefined();
    expect(JSON.stringify(t.runtime.character)).not.toContain(TOKEN);
    // A later copy, made in place, is taken out as well.
    (t.runtime.character.settings as Record<string, unknown>)['COPIED_AGAIN'] = TOKEN;
    const again = await character!.get(t.runtime, message, { values: {}, data: {}, text: '' });
    expect(JSON.stringify(again)).not.toContain(TOKEN);
    expect(JSON.stringify(t.runtime.character)).not.toContain(TOKEN);
    expect(t.runtime.getSetting('COPIED_AGAIN')).toBe(TOKEN);
  });

  it('no composed state, nor any provider result in it, holds the token', async () => {
    const message = await userMessage('tell me about yourself');
    const state = await t.runtime.composeState(message, ['CHARACTER', 'COPIER_TOKEN_STATUS']);
    const providers = state.data['providers'] as Record<string, unknown>;
    expect(Object.keys(providers)).toEqual(expect.arrayContaining(['CHARACTER', 'COPIER_TOKEN_STATUS']));
    expect(JSON.stringify(state)).not.toContain(TOKEN);
    expect(state.text).toContain('Copier uses token [REDACTED]');
    const full = await t.runtime.composeState(message, null, false, true);
    expect(JSON.stringify(full)).not.toContain(TOKEN);
    // The plugin still has its value, through getSetting.
    expect(t.runtime.getSetting('COPIER_API_TOKEN')).toBe(TOKEN);
  });

  it('no prompt bootstrap sends to the model while answering a message holds the token', async () => {
    const message = await userMessage('hello, what can you do?', false);
    const before = prompts.length;
    const replies: string[] = [];
    // What the 1.7 server does with an incoming message.
    await t.runtime.messageService!.handleMessage(t.runtime, message, async (content) => {
      replies.push(content.text ?? '');
      return [];
    });
    expect(replies).toContain('Done.');
    const sent = prompts.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.join('\n')).toContain('Copier uses token [REDACTED]');
    expect(sent.join('\n')).not.toContain(TOKEN);
  });
});
