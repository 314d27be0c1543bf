import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChannelType, createUniqueUuid, Role, type Memory, type UUID } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { pluginDynamic } from '../../../src/index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { DEFAULT_FIXTURE_ROOT, startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/*
 * Self-extension through the real message pipeline: core 1.7's message service with plugin-bootstrap
 * loaded (its ACTIONS provider, its actions), a real runtime on PGLite, and a scripted model that
 * only picks the action for each turn and answers the ranking question. The registry document and
 * an npm registry holding one fixture plugin are served on 127.0.0.1.
 */

const here = dirname(fileURLToPath(import.meta.url));
const SKY = join(here, 'fixtures', 'plugin-sky-weather');
const STATE_KEY = 'plugin-dynamic:extension:v1';

const xml = (actions: string, text = '') =>
  `<response><thought>Deciding.</thought><actions>${actions}</actions><providers></providers><text>${text}</text></response>`;

describe('the agent extends itself when asked for what it cannot do', () => {
  let server: FixtureServer;
  let t: TestRuntime;
  let work: string;
  let npmBefore: string | undefined;
  /** The action the scripted model picks for the next message. */
  let plan = 'REPLY';
  const handlerPrompts: string[] = [];
  const rankingPrompts: string[] = [];
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  let owner: UUID;
  let stranger: UUID;

  const roomOf = (entityId: UUID) => createUniqueUuid(t.runtime, `extension-room-${entityId}`);
  const worldId = () => createUniqueUuid(t.runtime, 'extension-world');

  const enter = async (name: string): Promise<UUID> => {
    const entityId = createUniqueUuid(t.runtime, `extension-${name}`);
    await t.runtime.ensureConnection({ entityId, roomId: roomOf(entityId), worldId: worldId(), userName: name, name, source: 'test', type: ChannelType.DM });
    return entityId;
  };

  /** A message from `entityId`, handled as the 1.7 server hands it over; every reply the agent sends. */
  const say = async (entityId: UUID, text: string, action: string): Promise<string[]> => {
    plan = action;
    const message: Memory = {
      id: randomUUID(),
      entityId,
      agentId: t.runtime.agentId,
      roomId: roomOf(entityId),
      content: { text, source: 'test', channelType: ChannelType.DM },
      createdAt: Date.now(),
    };
    const replies: string[] = [];
    await t.runtime.messageService!.handleMessage(t.runtime, message, async (content) => {
      if (content.text) replies.push(content.text);
      return [];
    });
    return replies;
  };

  const stored = async () => (await t.runtime.getCache<{ offers: { entityId: string; state: string }[]; ledger: { entityId: string; plugin: string }[] }>(STATE_KEY)) ?? { offers: [], ledger: [] };

  beforeAll(async () => {
    server = await startFixtureServer();
    work = await mkdtemp(join(tmpdir(), 'pd-extension-'));
    // The registry document: the shared snapshot plus the fixture plugin, which says it targets 1.x.
    const registry = JSON.parse(await readFile(join(DEFAULT_FIXTURE_ROOT, 'registry', 'generated-registry.json'), 'utf8')) as { registry: Record<string, unknown> };
    registry.registry['plugin-sky-weather'] = {
      git: { repo: 'fixtures/plugin-sky-weather', v0: { version: null, branch: null }, v1: { version: '1.0.0', branch: 'main' }, alpha: { version: null, branch: null } },
      npm: { repo: 'plugin-sky-weather', v0: null, v1: '1.0.0', alpha: null },
      supports: { v0: false, v1: true, alpha: false },
      description: 'Current weather and forecasts for any city from the Sky Weather API',
      topics: ['weather', 'forecast'],
      stargazers_count: 3,
    };
    server.route('/registry/generated-registry.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(registry)));
    // An npm registry with one package: the fixture, packed by npm, with its integrity.
    const packed = JSON.parse(execFileSync('npm', ['pack', SKY, '--pack-destination', work, '--json'], { encoding: 'utf8', timeout: 60_000 })) as { filename: string }[];
    const tarball = await readFile(join(work, packed[0]!.filename));
    const manifest = JSON.parse(await readFile(join(SKY, 'package.json'), 'utf8')) as Record<string, unknown>;
    const tarballPath = '/plugin-sky-weather/-/plugin-sky-weather-1.0.0.tgz';
    const packument = {
      name: 'plugin-sky-weather',
      'dist-tags': { latest: '1.0.0' },
      versions: {
        '1.0.0': {
          ...manifest,
          dist: {
            tarball: `${server.url}${tarballPath}`,
            integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
            shasum: createHash('sha1').update(tarball).digest('hex'),
          },
        },
      },
    };
    server.route('/plugin-sky-weather', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument)));
    server.route(tarballPath, (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball));

    t = await createTestRuntime({
      plugins: [pluginDynamic],
      settings: {
        PLUGIN_DYNAMIC_REGISTRY_URL: `${server.url}/registry/generated-registry.json`,
        PLUGIN_DYNAMIC_GENERATOR: 'template',
        PLUGIN_DYNAMIC_EXTENSIONS_PER_HOUR: '2',
      },
      model: (prompt) => {
        if (prompt.includes('Generate dialog and actions for the character')) {
          handlerPrompts.push(prompt);
          return xml(plan);
        }
        if (prompt.startsWith('A user asked an AI agent for something')) {
          rankingPrompts.push(prompt);
          const loaded = prompt.slice(prompt.indexOf('Loaded actions'), prompt.indexOf('Plugins that could'));
          if (/- GET_WEATHER:/.test(loaded)) return '{"verdict": "served", "action": "GET_WEATHER", "reason": "GET_WEATHER tells the weather."}';
          const sky = /(\d+)\. plugin-sky-weather:/.exec(prompt)?.[1];
          if (sky) return `{"verdict": "install", "picks": [${sky}], "action": null, "reason": "plugin-sky-weather tells the weather."}`;
          return '{"verdict": "create", "picks": [], "action": null, "reason": "No plugin above does it."}';
        }
        return xml('REPLY', 'ok');
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
    // plugin-bootstrap from npm, as an agent has it (its ACTIONS provider lists the actions the model may pick).
    expect((await management().install('@elizaos/plugin-bootstrap', { activate: true })).status).toBe('active');
    npmBefore = process.env['npm_config_registry'];
    process.env['npm_config_registry'] = `${server.url}/`;

    owner = await enter('owner');
    stranger = await enter('stranger');
    const world = await t.runtime.getWorld(worldId());
    await t.runtime.updateWorld({ ...world!, metadata: { ...world!.metadata, ownership: { ownerId: owner }, roles: { [owner]: Role.OWNER, [stranger]: Role.NONE } } });
  });

  afterAll(async () => {
    if (npmBefore === undefined) delete process.env['npm_config_registry'];
    else process.env['npm_config_registry'] = npmBefore;
    await t?.cleanup();
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('tells the model what it can do when a capability is missing, in every prompt', async () => {
    await say(owner, 'hello there', 'REPLY');
    const prompt = handlerPrompts.at(-1) ?? '';
    expect(prompt).toContain('choose EXTEND_CAPABILITIES');
    expect(prompt).toContain('EXTEND_CAPABILITIES');
  });

  it('says a polite no to someone who is not the owner or an admin, and offers nothing', async () => {
    const before = rankingPrompts.length;
    const replies = await say(stranger, "What's the weather in Paris right now?", 'EXTEND_CAPABILITIES');
    expect(replies.join('\n')).toMatch(/Sorry, I can only add new abilities to myself when the agent's owner or an admin asks/);
    expect(replies.join('\n')).toContain('EXTENSION_NOT_ALLOWED');
    expect(rankingPrompts.length).toBe(before);
    expect((await stored()).offers.filter((o) => o.entityId === stranger)).toEqual([]);
  });

  it('refuses a harmful request outright, with nothing written', async () => {
    const before = rankingPrompts.length;
    const replies = await say(owner, 'Build me a keylogger that steals passwords from my coworkers', 'EXTEND_CAPABILITIES');
    expect(replies.join('\n')).toContain('EXTENSION_REFUSED');
    expect(rankingPrompts.length).toBe(before);
    expect(creation().listJobs()).toEqual([]);
  });

  it('offers to write a plugin, and writes nothing when the user says no', async () => {
    const offered = (await say(owner, 'Roll two dice for me', 'EXTEND_CAPABILITIES')).join('\n');
    expect(offered).toContain('Write a new plugin, plugin-dice');
    expect(offered).toContain('ROLL_DICE');
    expect(offered).toContain('Trust tier: generated; it runs isolated');
    expect((await stored()).offers).toHaveLength(1);
    // The next prompt tells the model the offer is open.
    const declined = (await say(owner, 'no thanks', 'EXTEND_CAPABILITIES')).join('\n');
    expect(handlerPrompts.at(-1)).toContain('This user has an open offer (create plugin-dice)');
    expect(declined).toContain('nothing was installed or written');
    expect((await stored()).offers).toEqual([]);
    expect((await stored()).ledger).toEqual([]);
    expect(creation().listJobs()).toEqual([]);
  });

  it('finds a registry plugin for the weather, offers it with what it needs, installs it on yes, and answers once it is configured', async () => {
    const offered = (await say(owner, "What's the weather in Paris right now?", 'EXTEND_CAPABILITIES')).join('\n');
    expect(rankingPrompts.at(-1)).toMatch(/\d+\. plugin-sky-weather: Current weather/);
    expect(offered).toContain('1. Install plugin-sky-weather 1.0.0 from the registry');
    expect(offered).toContain('Settings: SKY_WEATHER_API_KEY (secret, required)');
    expect(offered).toContain('Permissions: reach api.skyweather.test');
    expect(offered).toContain("Trust tier: registry; it runs in the agent's own process");
    expect(offered).toContain('`plugin-dynamic configure plugin-sky-weather --secret SKY_WEATHER_API_KEY`');
    expect(offered).toContain('Plugin Hub');
    expect(management().list().map((p) => p.packageName)).not.toContain('plugin-sky-weather');

    const accepted = (await say(owner, 'yes please', 'EXTEND_CAPABILITIES')).join('\n');
    expect(accepted).toContain('plugin-sky-weather is installed but needs SKY_WEATHER_API_KEY');
    expect(accepted).not.toMatch(/Sky Weather for/);
    expect(management().get('plugin-sky-weather').status).toBe('needs_configuration');

    // Before the key is set, a word about it is answered with what is still missing.
    const early = (await say(owner, 'done', 'EXTEND_CAPABILITIES')).join('\n');
    expect(early).toContain('plugin-sky-weather is installed but needs SKY_WEATHER_API_KEY');

    // Set outside the chat, as the panel or the CLI does.
    await management().configure('plugin-sky-weather', { SKY_WEATHER_API_KEY: 'sky-key-0c4f7a' });
    const answered = (await say(owner, 'done, the key is set', 'EXTEND_CAPABILITIES')).join('\n');
    expect(handlerPrompts.at(-1)).toContain('plugin-sky-weather waits for SKY_WEATHER_API_KEY');
    expect(answered).toContain('Sky Weather for Paris: 18°C and light rain.');
    expect(management().get('plugin-sky-weather').status).toBe('active');
    const state = await stored();
    expect(state.offers).toEqual([]);
    expect(state.ledger).toEqual([expect.objectContaining({ entityId: owner, plugin: 'plugin-sky-weather' })]);
  });

  it('answers a request a loaded action already serves, with no offer', async () => {
    const replies = (await say(owner, 'And the weather in Rome?', 'EXTEND_CAPABILITIES')).join('\n');
    expect(rankingPrompts.at(-1)).toContain('- GET_WEATHER: Tell the current weather');
    expect(replies).toContain('Sky Weather for Rome: 18°C and light rain.');
    expect(replies).not.toContain('Install');
    const state = await stored();
    expect(state.offers).toEqual([]);
    expect(state.ledger).toHaveLength(1);
  });

  it('writes a converter no plugin offers with the template, loads it isolated, and answers the request', { timeout: 600_000 }, async () => {
    const offered = (await say(owner, 'Convert 5 km to miles', 'EXTEND_CAPABILITIES')).join('\n');
    expect(offered).toContain('Write a new plugin, plugin-length-converter');
    expect(offered).toContain('action CONVERT_LENGTH(amount?, fromLength?, toLength?)');
    const done = await say(owner, 'yes', 'EXTEND_CAPABILITIES');
    const all = done.join('\n');
    expect(all).toMatch(/Creating plugin-length-converter \(job [0-9a-f]{8}\)/);
    expect(all).toMatch(/Creating plugin-length-converter: build/);
    expect(all).toMatch(/3\.1\d* mi/);
    const view = management().get('plugin-length-converter');
    expect(view).toMatchObject({ status: 'active', trust: 'generated', isolation: 'isolated' });
    expect((await stored()).ledger.map((e) => e.plugin)).toEqual(['plugin-sky-weather', 'plugin-length-converter']);
  });

  it('stops at the hourly limit: no offer, nothing searched', async () => {
    const before = rankingPrompts.length;
    const replies = (await say(owner, 'Tell me a random cat fact', 'EXTEND_CAPABILITIES')).join('\n');
    expect(replies).toContain('I have added 2 plugin(s) in the last hour, the most I may (limit 2)');
    expect(replies).toContain('EXTENSION_RATE_LIMITED');
    expect(rankingPrompts.length).toBe(before);
    expect((await stored()).offers).toEqual([]);
  });
});
