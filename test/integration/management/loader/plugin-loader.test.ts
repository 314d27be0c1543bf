import { Service, type IAgentRuntime, type Plugin } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginLoader } from '../../../../src/management/loader/index.js';
import { runtimeCollections } from '../../../../src/management/loader/runtime-collections.js';
import { runAction } from '../../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../../helpers/runtime.js';

function counts(runtime: IAgentRuntime): Record<string, number> {
  const c = runtimeCollections(runtime);
  return {
    actions: c.actions.length,
    providers: c.providers.length,
    evaluators: c.evaluators.length,
    plugins: c.plugins.length,
    routes: c.routes.length,
    services: c.services.size,
    serviceTypes: c.serviceTypes.size,
    servicePromises: c.servicePromises.size,
    servicePromiseHandlers: c.servicePromiseHandlers.size,
    serviceRegistrationStatus: c.serviceRegistrationStatus.size,
    taskWorkers: c.taskWorkers.size,
    sendHandlers: c.sendHandlers.size,
    models: [...c.models.values()].reduce((n, l) => n + l.length, 0),
    events: Object.values(c.events).reduce((n, l) => n + (l?.length ?? 0), 0),
  };
}

class EchoService extends Service {
  static override serviceType = 'loader_test_echo';
  override capabilityDescription = 'echo';
  stopped = false;
  static override async start(runtime: IAgentRuntime): Promise<EchoService> {
    return new EchoService(runtime);
  }
  override async stop(): Promise<void> {
    this.stopped = true;
  }
}

class FailingService extends Service {
  static override serviceType = 'loader_test_failing';
  override capabilityDescription = 'fails';
  static override async start(): Promise<FailingService> {
    throw new Error('cannot connect');
  }
  override async stop(): Promise<void> {}
}

const fullPlugin = (name = 'loader-test-full'): Plugin => ({
  name,
  description: 'every kind of component',
  actions: [
    { name: 'LOADER_ECHO', similes: [], description: 'echo', validate: async () => true, handler: async () => ({ success: true, text: 'echoed' }) },
    { name: 'LOADER_THROWS', similes: [], description: 'throws', validate: async () => true, handler: async () => { throw new Error('kaboom'); } },
  ],
  providers: [
    { name: 'loaderFacts', get: async () => ({ text: 'loader facts', values: {}, data: {} }) },
    { name: 'loaderBroken', get: async () => { throw new Error('provider broke'); } },
  ],
  evaluators: [{ name: 'LOADER_EVAL', description: 'e', similes: [], examples: [], validate: async () => true, handler: async () => undefined }],
  services: [EchoService],
  models: { TEXT_EMBEDDING: async () => [0.1] },
  events: { MESSAGE_RECEIVED: [async () => undefined] },
  routes: [{ type: 'GET', path: '/hello', handler: async () => undefined }],
  init: async (_config, runtime) => {
    runtime.registerTaskWorker({ name: 'LOADER_TASK', execute: async () => undefined });
    runtime.registerProvider({ name: 'loaderByHand', get: async () => ({ text: 'by hand', values: {}, data: {} }) });
    process.env['LOADER_TEST_ENV'] = 'set-by-init';
    runtime.character.settings = { ...runtime.character.settings, LOADER_TEST_SETTING: 'x' };
  },
});

describe('PluginLoader in a live runtime', () => {
  let t: TestRuntime;
  let loader: PluginLoader;
  let baseline: Record<string, number>;
  beforeAll(async () => {
    t = await createTestRuntime();
    loader = new PluginLoader(t.runtime, { loadTimeoutMs: 2_000, logger: t.runtime.logger });
    baseline = counts(t.runtime);
  });
  afterAll(async () => t.cleanup());

  it('loads every kind of component and unload returns every collection exactly to the baseline', async () => {
    await loader.load(fullPlugin());
    expect(t.runtime.actions.some((a) => a.name === 'LOADER_ECHO')).toBe(true);
    expect(t.runtime.providers.some((p) => p.name === 'loaderByHand')).toBe(true);
    expect(t.runtime.hasService('loader_test_echo')).toBe(true);
    expect(counts(t.runtime)).not.toEqual(baseline);
    const service = t.runtime.getService<EchoService>('loader_test_echo');
    const report = await loader.unload('loader-test-full');
    expect(counts(t.runtime)).toEqual(baseline);
    expect(service?.stopped).toBe(true);
    expect(report.restored).toEqual(expect.arrayContaining(['env LOADER_TEST_ENV', 'character setting LOADER_TEST_SETTING']));
    expect(process.env['LOADER_TEST_ENV']).toBeUndefined();
    expect(t.runtime.character.settings?.['LOADER_TEST_SETTING']).toBeUndefined();
  });

  it('a removed action is not found by processActions and a removed provider leaves composeState', async () => {
    await loader.load(fullPlugin());
    const loaded = await runAction(t.runtime, 'LOADER_ECHO', 'echo please');
    expect(loaded.results[0]?.text).toBe('echoed');
    await loader.unload('loader-test-full');
    const gone = await runAction(t.runtime, 'LOADER_ECHO', 'echo please');
    expect(gone.results).toEqual([]);
    const state = await t.runtime.composeState(
      { entityId: t.runtime.agentId, roomId: t.runtime.agentId, content: { text: 'x' } },
      ['loaderFacts'],
    );
    expect(state.text).not.toContain('loader facts');
  });

  it('contains a throwing action and a throwing provider', async () => {
    await loader.load(fullPlugin());
    const run = await runAction(t.runtime, 'LOADER_THROWS', 'throw');
    expect(run.results[0]).toMatchObject({ success: false, error: 'kaboom' });
    const state = await t.runtime.composeState(
      { entityId: t.runtime.agentId, roomId: t.runtime.agentId, content: { text: 'x' } },
      ['loaderFacts', 'loaderBroken'],
    );
    expect(state.text).toContain('loader facts');
    await loader.unload('loader-test-full');
    expect(counts(t.runtime)).toEqual(baseline);
  });

  it('rolls back a plugin whose init throws, and a retry after the fix loads', async () => {
    const broken: Plugin = { ...fullPlugin('loader-test-init'), services: [], init: async () => { throw new Error('missing key'); } };
    await expect(loader.load(broken)).rejects.toMatchObject({ code: 'LOAD_FAILED', message: expect.stringContaining('missing key') });
    expect(counts(t.runtime)).toEqual(baseline);
    await loader.load({ ...broken, init: async () => undefined });
    expect(loader.isLoaded('loader-test-init')).toBe(true);
    await loader.unload('loader-test-init');
    expect(counts(t.runtime)).toEqual(baseline);
  });

  it('rolls back a plugin whose service start rejects, and the host process keeps running', async () => {
    const plugin: Plugin = { name: 'loader-test-failing', description: 'd', services: [FailingService] };
    await expect(loader.load(plugin)).rejects.toMatchObject({ code: 'LOAD_FAILED', message: expect.stringContaining('cannot connect') });
    await new Promise((r) => setTimeout(r, 50));
    expect(counts(t.runtime)).toEqual(baseline);
  });

  it('rolls back a plugin whose init hangs, naming the timeout', async () => {
    const plugin: Plugin = { name: 'loader-test-hang', description: 'd', init: () => new Promise(() => undefined) };
    await expect(loader.load(plugin)).rejects.toMatchObject({ code: 'LOAD_TIMEOUT' });
    expect(counts(t.runtime)).toEqual(baseline);
    expect(t.runtime.plugins.some((p) => p.name === 'loader-test-hang')).toBe(false);
  });

  it('refuses a plugin whose action name is already taken, registering nothing', async () => {
    const existing = t.runtime.actions[0]?.name ?? 'REPLY';
    const clash: Plugin = {
      name: 'loader-test-clash',
      description: 'd',
      providers: [{ name: 'clashProvider', get: async () => ({ text: '' }) }],
      actions: [{ name: existing, similes: [], description: 'd', validate: async () => true, handler: async () => ({ success: true }) }],
    };
    if (!t.runtime.actions.some((a) => a.name === existing)) t.runtime.registerAction({ ...clash.actions![0]! });
    const before = counts(t.runtime);
    await expect(loader.load(clash)).rejects.toMatchObject({ code: 'COMPONENT_CONFLICT', message: expect.stringContaining(existing) });
    expect(counts(t.runtime)).toEqual(before);
  });

  it('loads two different plugins at the same time', async () => {
    const a = fullPlugin('loader-test-a');
    const b: Plugin = { name: 'loader-test-b', description: 'd', actions: [{ name: 'LOADER_B', similes: [], description: 'b', validate: async () => true, handler: async () => ({ success: true }) }] };
    const start = counts(t.runtime);
    await Promise.all([loader.load(a), loader.load(b)]);
    expect(loader.loadedNames()).toEqual(expect.arrayContaining(['loader-test-a', 'loader-test-b']));
    await Promise.all([loader.unload('loader-test-a'), loader.unload('loader-test-b')]);
    expect(counts(t.runtime)).toEqual(start);
  });

  it('keeps counts at the baseline over 200 load/unload cycles', async () => {
    const start = counts(t.runtime);
    let drifted = 0;
    for (let i = 0; i < 200; i++) {
      await loader.load(fullPlugin('loader-test-cycle'));
      await loader.unload('loader-test-cycle');
      if (JSON.stringify(counts(t.runtime)) !== JSON.stringify(start)) drifted++;
    }
    expect(drifted).toBe(0);
  });
});
