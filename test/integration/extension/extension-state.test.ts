import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueUuid, stringToUuid, type Memory } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { EXTENSION_BOUNDS, type ExtensionOffer } from '../../../src/extension/extension-records.js';
import { ExtensionStore, extensionStore } from '../../../src/extension/extension-store.js';
import { registerRankedSource, selfExtensionProvider, setPermissionApproval } from '../../../src/extension/index.js';
import { CONVERSATION_APPROVAL } from '../../../src/extension/permission-approval.js';
import { PluginDynamicError } from '../../../src/errors.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { pluginDynamic } from '../../../src/index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/*
 * What self-extension keeps in the agent's database, without a model (keyword ranking, the template's
 * sentence reader): an offer made before a restart is answered after it; the hourly ledger cannot be
 * overrun by yeses at once; the setting that turns it off. The person is allowed by the setting
 * listing entity ids (the CLI's runner is not a world's owner). npm answers no package (a registry on
 * 127.0.0.1 with none), so no registry plugin is offered.
 */

const AGENT = 'ExtensionStateAgent';
const CLI_USER = createUniqueUuid({ agentId: stringToUuid(AGENT) } as Parameters<typeof createUniqueUuid>[0], 'cli-user');

describe('self-extension state in the agent database', () => {
  let server: FixtureServer;
  let dataDir: string;
  let t: TestRuntime;
  let npmBefore: string | undefined;

  const start = async (extra: Record<string, string> = {}) => {
    t = await createTestRuntime({
      dataDir,
      agentName: AGENT,
      plugins: [pluginDynamic],
      settings: {
        PLUGIN_DYNAMIC_REGISTRY_URL: `${server.url}/registry/generated-registry.json`,
        PLUGIN_DYNAMIC_GENERATOR: 'template',
        PLUGIN_DYNAMIC_EXTEND_ALLOWED: `someone-else, ${CLI_USER}`,
        ...extra,
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  };

  beforeAll(async () => {
    server = await startFixtureServer();
    npmBefore = process.env['npm_config_registry'];
    process.env['npm_config_registry'] = `${server.url}/`;
    dataDir = await mkdtemp(join(tmpdir(), 'pd-extension-state-'));
    await start();
  });
  afterAll(async () => {
    if (npmBefore === undefined) delete process.env['npm_config_registry'];
    else process.env['npm_config_registry'] = npmBefore;
    await t?.cleanup({ keepData: true });
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps an offer across a restart, and the same person declines it after', async () => {
    const offered = await runAction(t.runtime, 'EXTEND_CAPABILITIES', 'Roll two dice for me');
    expect(offered.results[0]?.success, offered.results[0]?.text).toBe(true);
    expect(offered.replies[0]?.text).toContain('Write a new plugin, plugin-dice');
    expect(offered.replies[0]?.text).toContain('no registry plugin matches the request');

    await t.cleanup({ keepData: true, restartable: true });
    await start();

    const message = { entityId: CLI_USER, roomId: createUniqueUuid(t.runtime, 'cli-room'), content: { text: 'yes?' } } as Memory;
    const provided = await selfExtensionProvider.get(t.runtime, message, { values: {}, data: {}, text: '' });
    expect(provided.text).toContain('This user has an open offer (create plugin-dice) for "Roll two dice for me"');
    const declined = await runAction(t.runtime, 'EXTEND_CAPABILITIES', 'no');
    expect(declined.replies[0]?.text).toBe('All right: nothing was installed or written.');
    expect(await extensionStore(t.runtime).offersFor(message.roomId, CLI_USER)).toEqual({});
    expect(t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!.listJobs()).toEqual([]);
  });

  it('ranks the candidates of a registered source with the registry, and the approval seam can refuse a yes', async () => {
    const installs: string[] = [];
    const off = registerRankedSource(t.runtime, {
      name: 'fleet',
      candidates: async (words) => (words.includes('dice') ? [{ name: 'plugin-fleet-dice', description: 'Dice built by another agent of the fleet', score: 500, strong: true, source: 'fleet' }] : []),
      install: async (name) => {
        installs.push(name);
        throw new PluginDynamicError('INSTALL_FAILED', `the fleet has no build of ${name} any more`);
      },
    });
    const offered = await runAction(t.runtime, 'EXTEND_CAPABILITIES', 'Roll two dice for me');
    expect(offered.replies[0]?.text).toContain('1. Install plugin-fleet-dice from the fleet: Dice built by another agent of the fleet');
    const asked: string[] = [];
    setPermissionApproval(t.runtime, {
      approve: async (grant) => {
        asked.push(`${grant.plugin} by ${grant.approvedBy}`);
        throw new Error('the approval store refused it');
      },
    });
    const refused = await runAction(t.runtime, 'EXTEND_CAPABILITIES', 'yes');
    expect(refused.results[0]?.success).toBe(false);
    expect(asked).toEqual([`plugin-fleet-dice by ${CLI_USER}`]);
    expect(t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!.list()).toEqual([]);
    expect(await extensionStore(t.runtime).lastHour()).toEqual([]);
    // Approved, the source's own install is used, not npm.
    setPermissionApproval(t.runtime, CONVERSATION_APPROVAL);
    const failed = await runAction(t.runtime, 'EXTEND_CAPABILITIES', 'yes');
    expect(failed.results[0]?.data?.['code']).toBe('INSTALL_FAILED');
    expect(installs).toEqual(['plugin-fleet-dice']);
    off();
  });

  it('keeps at most 50 offers, one per person and room, and forgets them when they expire', async () => {
    let now = Date.now();
    const store = new ExtensionStore(t.runtime, () => now);
    const offer = (i: number): ExtensionOffer => ({
      id: crypto.randomUUID(),
      roomId: `room-${i}`,
      entityId: `person-${i}`,
      request: `request ${i}`,
      options: [{ kind: 'install', name: `plugin-${i}`, description: '', trust: 'registry', runs: 'in-process', foundIn: 'registry' }],
      state: 'offered',
      createdAt: now,
      expiresAt: now + EXTENSION_BOUNDS.offerTtlMs,
    });
    for (let i = 0; i < 55; i++) await store.putOffer(offer(i));
    expect((await store.offersFor('room-0', 'person-0')).offered).toBeUndefined();
    expect((await store.offersFor('room-54', 'person-54')).offered?.request).toBe('request 54');
    await store.putOffer({ ...offer(54), request: 'asked again' });
    expect((await store.offersIn('room-54')).map((o) => o.request)).toEqual(['asked again']);
    now += EXTENSION_BOUNDS.offerTtlMs + 1;
    expect(await store.offersIn('room-54')).toEqual([]);
  });

  it('counts yeses that arrive together against the hourly limit under one lock', async () => {
    const store = extensionStore(t.runtime);
    const before = (await store.lastHour()).length;
    const entry = (plugin: string) => ({ at: Date.now(), entityId: CLI_USER, roomId: 'room', kind: 'create' as const, plugin, request: 'r' });
    const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((p) => store.record(entry(`plugin-${p}`), before + 3)));
    expect(outcomes.filter((o) => o.recorded)).toHaveLength(3);
    expect((await store.lastHour()).map((e) => e.plugin).filter((p) => /^plugin-[a-d]$/.test(p)).sort()).toEqual(['plugin-a', 'plugin-b', 'plugin-c']);
    const limited = await runAction(t.runtime, 'EXTEND_CAPABILITIES', 'Flip a coin');
    expect(limited.results[0]?.data?.['code']).toBe('EXTENSION_RATE_LIMITED');
  });

  it('is gone when the setting turns it off: the model is not offered the action, the provider is silent', async () => {
    await t.cleanup({ keepData: true, restartable: true });
    await start({ PLUGIN_DYNAMIC_SELF_EXTENSION: 'off' });
    const action = t.runtime.actions.find((a) => a.name === 'EXTEND_CAPABILITIES')!;
    const message = { entityId: CLI_USER, roomId: createUniqueUuid(t.runtime, 'cli-room'), content: { text: 'hi' } } as Memory;
    expect(await action.validate(t.runtime, message)).toBe(false);
    expect((await selfExtensionProvider.get(t.runtime, message, { values: {}, data: {}, text: '' })).text).toBe('');
    const run = await runAction(t.runtime, 'EXTEND_CAPABILITIES', 'Roll two dice for me');
    expect(run.results[0]?.data?.['code']).toBe('EXTENSION_DISABLED');
  });
});
