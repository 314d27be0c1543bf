/*
 * One self-extension conversation with a real model that answers through files, so that any capable
 * language model you can brief (or a person) can play it: see "Measuring with a real model" under
 * Self-extension in the README.
 *
 *   npm run build
 *   LOG_LEVEL=error node --import tsx bench/extension-conversation.ts <bridge-dir> [--setting NAME=value ...] -- "message 1" "message 2" ...
 *
 * A real AgentRuntime (PGLite in a temp folder, plugin-sql, plugin-dynamic, plugin-bootstrap installed
 * from npm) registers TEXT_LARGE and TEXT_SMALL handlers that write each prompt to
 * <bridge-dir>/prompt-<n>.md ("model: TYPE", "purpose: ...", then the prompt) and wait up to 20 minutes
 * for <bridge-dir>/answer-<n>.md (returned once unchanged for 2 s; write it elsewhere and rename it).
 * Each message is sent by the world's owner, in one DM room, through core's message service as the
 * server does. After each turn, a plugin waiting for settings gets the --setting values it declares,
 * set the way the panel or `plugin-dynamic configure` sets them (never through the chat).
 * Everything goes to <bridge-dir>/RESULTS.md as it happens: each turn's replies, its model calls and
 * time, then the totals (turns, model calls, model time, time from the first message to the last reply).
 * <bridge-dir>/DONE is written at the end.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ChannelType, ModelType, Role, createUniqueUuid, type IAgentRuntime, type Memory } from '@elizaos/core';
import { extensionStore } from '../src/extension/extension-store.js';
import type { PluginManagementService } from '../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../src/service-types.js';
import { fmt, startBenchRuntime } from './bench-runtime.js';

const ANSWER_WAIT_MS = 20 * 60_000;
const STABLE_MS = 2_000;

const args = process.argv.slice(2);
const split = args.indexOf('--');
const head = split >= 0 ? args.slice(0, split) : args.slice(0, 1);
const messages = split >= 0 ? args.slice(split + 1) : args.slice(1);
const bridgeArg = head[0];
const settings: Record<string, string> = {};
for (let i = 1; i < head.length; i++) {
  const pair = head[i] === '--setting' ? head[++i] : undefined;
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) {
    console.error(`unreadable option ${head[i] ?? ''}: use --setting NAME=value`);
    process.exit(2);
  }
  settings[pair.slice(0, eq)] = pair.slice(eq + 1);
}
if (!bridgeArg || messages.length === 0) {
  console.error('usage: node --import tsx bench/extension-conversation.ts <bridge-dir> [--setting NAME=value ...] -- "message" ...');
  process.exit(2);
}
const bridge = resolve(bridgeArg);
await mkdir(bridge, { recursive: true });
const RESULTS = join(bridge, 'RESULTS.md');
const say = async (line: string) => {
  await appendFile(RESULTS, `${line}\n`);
  process.stdout.write(`[conversation] ${line.split('\n')[0] ?? ''}\n`);
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Which of the agent's questions a prompt is, for the record. */
const purpose = (prompt: string): string =>
  prompt.includes('Generate dialog and actions for the character') ? 'choose the reply and actions'
  : prompt.startsWith('A user asked an AI agent for something') ? 'rank plugins for the request'
  : prompt.startsWith('Turn this request') ? 'write a plugin specification'
  : prompt.startsWith("The user's message below asks for the action") ? 'read action parameters'
  : prompt.startsWith('Write a complete') ? 'generate plugin code'
  : prompt.startsWith('You review') ? 'review plugin code'
  : 'other';

let calls = 0;
let modelMs = 0;
const model = (type: string) => async (_rt: IAgentRuntime, params: Record<string, unknown>): Promise<string> => {
  const n = ++calls;
  const prompt = typeof params['prompt'] === 'string' ? params['prompt'] : JSON.stringify(params);
  await writeFile(join(bridge, `.prompt-${n}.tmp`), `model: ${type}\npurpose: ${purpose(prompt)}\n${prompt}`);
  await rename(join(bridge, `.prompt-${n}.tmp`), join(bridge, `prompt-${n}.md`));
  await say(`  - model call ${n} (${type}, ${purpose(prompt)}): prompt ${prompt.length} chars`);
  const started = Date.now();
  let seen = '';
  while (Date.now() - started < ANSWER_WAIT_MS) {
    const info = await stat(join(bridge, `answer-${n}.md`)).catch(() => undefined);
    if (info?.isFile() && info.size > 0) {
      const now = `${info.size}:${info.mtimeMs}`;
      if (now === seen) {
        const answer = await readFile(join(bridge, `answer-${n}.md`), 'utf8');
        modelMs += Date.now() - started;
        await say(`    answer ${n}: ${answer.length} chars after ${fmt(Date.now() - started)}`);
        return answer;
      }
      seen = now;
    }
    await pause(STABLE_MS);
  }
  throw new Error(`no answer to prompt ${n} within ${ANSWER_WAIT_MS / 60_000} minutes`);
};

const { runtime, stop } = await startBenchRuntime({ PLUGIN_DYNAMIC_EXTENSIONS_PER_HOUR: '5' });
for (const type of [ModelType.TEXT_LARGE, ModelType.TEXT_SMALL]) runtime.registerModel(type, model(type), 'extension-conversation', 100);
const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
await say(`# Self-extension conversation ${new Date().toISOString()}\n`);
// By npm name and version: no registry lookup (the registry document may be unreachable where npm is not).
await say(`plugin-bootstrap: ${(await management.install('@elizaos/plugin-bootstrap@1.7.2', { activate: true })).status}`);

const owner = createUniqueUuid(runtime, 'conversation-owner');
const roomId = createUniqueUuid(runtime, 'conversation-room');
const worldId = createUniqueUuid(runtime, 'conversation-world');
await runtime.ensureConnection({ entityId: owner, roomId, worldId, userName: 'owner', name: 'Owner', source: 'bench', type: ChannelType.DM });
const world = await runtime.getWorld(worldId);
if (world) await runtime.updateWorld({ ...world, metadata: { ...world.metadata, ownership: { ownerId: owner }, roles: { [owner]: Role.OWNER } } });

const first = Date.now();
let lastReply = first;
let turns = 0;
try {
  for (const text of messages) {
    turns += 1;
    const before = calls;
    const started = Date.now();
    await say(`\n## Turn ${turns}: ${JSON.stringify(text)}`);
    const message: Memory = { id: randomUUID(), entityId: owner, agentId: runtime.agentId, roomId, content: { text, source: 'bench', channelType: ChannelType.DM }, createdAt: Date.now() };
    await runtime.messageService!.handleMessage(runtime, message, async (content) => {
      if (!content.text) return [];
      lastReply = Date.now();
      await say(`- agent (${fmt(lastReply - started)}): ${JSON.stringify(content.text.slice(0, 2_000))}${content.actions?.length ? ` [${content.actions.join(', ')}]` : ''}`);
      // Kept in the room as the server keeps the agent's replies, so the next turn's history shows them.
      const reply: Memory = { id: randomUUID(), entityId: runtime.agentId, agentId: runtime.agentId, roomId, content: { ...content, source: 'bench' }, createdAt: Date.now() };
      await runtime.createMemory(reply, 'messages');
      return [reply];
    });
    await say(`- turn ${turns}: ${calls - before} model call(s), ${fmt(Date.now() - started)}`);
    for (const offer of await extensionStore(runtime).awaitingSettings()) {
      const wanted = Object.fromEntries(Object.entries(settings).filter(([name]) => offer.missing?.includes(name)));
      if (offer.plugin && Object.keys(wanted).length) {
        await management.configure(offer.plugin, wanted);
        await say(`- set ${Object.keys(wanted).join(', ')} for ${offer.plugin} (as the panel would)`);
      }
    }
  }
} catch (error) {
  await say(`**the conversation stopped**: ${error instanceof Error ? error.message : String(error)}`);
}
await say(`\n**${turns} turn(s), ${calls} model call(s), model ${fmt(modelMs)}, first message to last reply ${fmt(lastReply - first)} (agent's own time ${fmt(lastReply - first - modelMs)})**`);
await writeFile(join(bridge, 'DONE'), `${turns} turns\n`);
await stop().catch(() => undefined);
process.exit(0);
