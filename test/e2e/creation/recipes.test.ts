import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueUuid, type Content, type IAgentRuntime, type TargetInfo } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, scriptModel, type TestRuntime } from '../../helpers/runtime.js';
import { setEgressTestHooks } from '../../../src/management/host/index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/recipes/${name}`, import.meta.url), 'utf8'));
const example = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8'));

/*
 * The template generator's recipes, end to end: real pipeline (tsc, eslint, vitest in the sandbox),
 * the plugin loaded into a real runtime on PGLite, plain-language messages through processActions,
 * then a restart of the runtime on the same database.
 */
describe('template recipes: plugins that do the job without a model', () => {
  let dataDir: string;
  let t: TestRuntime;
  let server: FixtureServer;
  let everyday: JobRecord;
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const say = async (action: string, text: string) => {
    const run = await runAction(t.runtime, action, text);
    const result = run.results[0];
    return { success: result?.success, text: result?.text ?? '' };
  };
  const start = async () => {
    t = await createTestRuntime({ dataDir, plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_GENERATOR: 'template' } });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-recipes-'));
    server = await startFixtureServer();
    server.route('/api/repos/elizaos/eliza', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ full_name: 'elizaos/eliza', stargazers_count: 15000, topics: ['ai', 'agents'], owner: { login: 'elizaos' } }));
    });
    server.route('/api/repos', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    server.route('/api/repos/nobody/nothing', (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
    });
    await start();
  });
  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('builds a plugin of many recipes in one iteration and says which components work', async () => {
    const queued = await creation().createFromSpec(example('everyday.json'));
    everyday = await creation().waitForJob(queued.id);
    expect(everyday.status, JSON.stringify(everyday.error ?? everyday.iterations.at(-1))).toBe('succeeded');
    expect(everyday.iterations).toHaveLength(1);
    expect(everyday.result?.pluginStatus).toBe('active');
    const components = everyday.result?.components ?? [];
    expect(components.filter((c) => !c.working).map((c) => c.name)).toEqual(['TRANSLATE_TEXT']);
    expect(components.find((c) => c.name === 'SET_REMINDER')).toMatchObject({ recipe: 'schedule', working: true });
  });

  it('keeps records from plain sentences: add, list, find, update, remove', async () => {
    expect(await say('ADD_NOTE', 'please add buy milk to my notes')).toMatchObject({ success: true });
    expect(await say('ADD_NOTE', 'Remember "call the plumber"')).toMatchObject({ success: true });
    expect(await say('ADD_NOTE', 'add pay rent')).toMatchObject({ success: true });
    const list = await say('LIST_NOTES', 'show me my notes');
    expect(list.text).toContain('#1 buy milk');
    expect(list.text).toContain('#2 call the plumber');
    expect((await say('FIND_NOTES', 'find plumber')).text).toContain('call the plumber');
    expect(await say('UPDATE_NOTE', 'update note 1 to buy oat milk')).toMatchObject({ success: true });
    expect(await say('REMOVE_NOTE', 'please delete note 3')).toMatchObject({ success: true });
    const after = await say('LIST_NOTES', 'list');
    expect(after.text).toContain('#1 buy oat milk');
    expect(after.text).not.toContain('pay rent');
    expect(await say('REMOVE_NOTE', 'delete note 42')).toMatchObject({ success: false });
  });

  it('asks for a missing value instead of guessing', async () => {
    const asked = await say('SET_REMINDER', 'remind me');
    expect(asked.success).toBe(false);
    expect(asked.text).toMatch(/\?/);
  });

  it('sets reminders as tasks, lists them and fires one when it is due, posted to the chat it was set in', async () => {
    // The chat's platform: core's send handler for the source the messages came from.
    const posted: { target: TargetInfo; content: Content }[] = [];
    t.runtime.registerSendHandler('cli', async (_runtime: IAgentRuntime, target: TargetInfo, content: Content) => {
      posted.push({ target, content });
    });
    const soon = await say('SET_REMINDER', 'remind me to stretch in 3 seconds');
    expect(soon.success, soon.text).toBe(true);
    const later = await say('SET_REMINDER', 'remind me to water the plants tomorrow at 9');
    expect(later.success, later.text).toBe(true);
    const listed = await say('LIST_REMINDERS', 'what reminders do I have?');
    expect(listed.text).toContain('stretch');
    expect(listed.text).toContain('water the plants');
    const roomId = createUniqueUuid(t.runtime, 'cli-room');
    await expect
      .poll(async () => (await t.runtime.getMemories({ roomId, tableName: 'messages', count: 50 })).map((m) => m.content.text), { timeout: 60_000, interval: 1000 })
      .toContain('Reminder: stretch');
    // The plugin runs isolated: the post went through its host and the room it was asked from.
    expect(management().get('plugin-everyday').isolation).toBe('isolated');
    expect(posted).toEqual([{ target: { source: 'cli', roomId }, content: { text: 'Reminder: stretch' } }]);
    expect((await say('LIST_REMINDERS', 'list')).text).not.toContain('stretch');
  });

  it('converts units, tells the time, rolls dice and makes slugs', async () => {
    expect((await say('CONVERT_UNITS', 'convert 5 km to miles')).text).toBe('5 km = 3.10686 mi');
    expect((await say('CONVERT_UNITS', 'what is 212 °F in celsius?')).text).toBe('212 fahrenheit = 100 celsius');
    expect((await say('CONVERT_UNITS', 'how many MB in 2 GB')).text).toBe('2 GB = 2000 MB');
    expect((await say('GET_TIME', 'what time is it in Tokyo?')).text).toMatch(/^It is \d{2}:\d{2} on \w+ \d{4}-\d{2}-\d{2} in Asia\/Tokyo\.$/);
    expect((await say('ROLL_DICE', 'roll 3d6')).text).toMatch(/^Rolled 3d6: \d, \d, \d \(total \d+\)$/);
    expect((await say('ROLL_DICE', 'flip a coin')).text).toMatch(/heads|tails/);
    expect((await say('SLUGIFY_TEXT', 'slugify "Hello World, Again!"')).text).toBe('hello-world-again');
  });

  it('answers honestly for an action no recipe covers', async () => {
    const answer = await say('TRANSLATE_TEXT', 'translate "good morning" into French');
    expect(answer.success).toBe(false);
    expect(answer.text).toContain('not implemented yet');
    expect(answer.text).toContain('src/actions/translate-text.ts');
  });

  it('keeps records and reminders across an unload and a runtime restart', async () => {
    await management().unload('plugin-everyday');
    await management().activate('plugin-everyday');
    expect((await say('LIST_NOTES', 'list')).text).toContain('buy oat milk');

    await t.cleanup({ keepData: true, restartable: true });
    await start();
    expect(management().get('plugin-everyday').status).toBe('active');
    expect((await say('LIST_NOTES', 'show my notes')).text).toContain('#2 call the plumber');
    expect((await say('LIST_REMINDERS', 'list')).text).toContain('water the plants');
    expect(await say('CANCEL_REMINDER', 'cancel water the plants')).toMatchObject({ success: true });
    expect((await say('LIST_REMINDERS', 'list')).text).toContain('No reminders');
    expect(await say('ADD_NOTE', 'add after the restart')).toMatchObject({ success: true });
    expect((await say('LIST_NOTES', 'list')).text).toContain('#4 after the restart');
  });

  it('asks the agent model with a schema prompt when there is one', async () => {
    const prompts = scriptModel(t.runtime, (prompt) => (prompt.includes('Answer with one JSON object') ? '{"text": "the boiler code is 1234"}' : '{}'));
    expect(await say('ADD_NOTE', 'jot down for me that the boiler code is 1234, thanks')).toMatchObject({ success: true });
    expect(prompts.some((p) => p.includes('- text (string, required)'))).toBe(true);
    expect((await say('LIST_NOTES', 'list')).text).toContain('the boiler code is 1234');
  });

  it('calls a configured HTTP API, summarises the JSON and reports errors readably', async () => {
    const queued = await creation().createFromSpec(fixture('api.json'));
    const job = await creation().waitForJob(queued.id);
    expect(job.status, JSON.stringify(job.error ?? job.iterations.at(-1))).toBe('succeeded');
    expect(job.result?.pluginStatus).toBe('needs_configuration');
    expect(job.result?.components?.every((c) => c.working)).toBe(true);
    // The generated plugin runs isolated and reaches only the host its specification declares
    // (api.github.com), through its egress proxy; the test resolves that name to the fixture server.
    expect(management().get('plugin-stars').isolation).toBe('isolated');
    const port = Number(new URL(server.url).port);
    setEgressTestHooks(t.runtime, {
      resolveHost: async (host) => {
        if (host !== 'api.github.com') throw new Error(`ENOTFOUND ${host}`);
        return [{ address: '127.0.0.1', port }];
      },
      allowPrivateAddresses: true,
    });
    await management().configure('plugin-stars', { GITHUB_API_URL: 'http://api.github.com/api/repos' });
    await management().activate('plugin-stars');
    const found = await say('GET_REPOSITORY', 'look up "elizaos/eliza"');
    expect(found.success).toBe(true);
    expect(found.text).toContain('stargazers_count: 15000');
    expect(found.text).toContain('topics: 2 items');
    const missing = await say('GET_REPOSITORY', 'repo: nobody/nothing');
    expect(missing).toMatchObject({ success: false });
    expect(missing.text).toContain('404');

    const monitor = t.runtime.getService('api_monitor') as unknown as { check(): Promise<unknown>; status(): Promise<unknown> } | null;
    expect(await monitor?.check()).toMatchObject({ ok: true, status: 200 });
    expect(await monitor?.status()).toMatchObject({ ok: true, status: 200 });
  });
});
