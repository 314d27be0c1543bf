import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IAgentRuntime } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, scriptModel, type TestRuntime } from '../../helpers/runtime.js';

const here = dirname(fileURLToPath(import.meta.url));
const OVERREACHER = join(here, 'fixtures', 'plugin-overreacher');
const NAME = 'plugin-overreacher';
const CACHE = `plugin-host:${NAME}:`;

/** Task workers of the runtime registered for this plugin (the runtime keeps them in a private map). */
const workersOf = (runtime: IAgentRuntime): string[] =>
  [...(runtime as unknown as { taskWorkers: Map<string, { name: string; isolatedFor?: string }> }).taskWorkers.values()]
    .filter((w) => w.isolatedFor === NAME)
    .map((w) => w.name);
const handlersOf = (runtime: IAgentRuntime, event: string): number => ((runtime.events as Record<string, unknown[]>)[event] ?? []).length;
const routesOf = (runtime: IAgentRuntime): string[] => runtime.routes.filter((r) => r.path.startsWith(`/${NAME}/`)).map((r) => `${r.type} ${r.path}`);

describe('an isolated plugin may do only what it declared', () => {
  let t: TestRuntime;
  let dataDir: string;
  const warnings: string[] = [];
  const prompts: string[] = [];
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const overreach = async (text: string) => (await runAction(t.runtime, 'OVERREACH', text)).results[0];
  const refusalLogged = (item: string) => warnings.some((w) => w.includes(NAME) && w.includes(`may not ${item}`));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-declared-permissions-'));
    t = await createTestRuntime({ dataDir, plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_HOST_CALL_TIMEOUT_MS: '8000' } });
    scriptModel(t.runtime, () => 'scripted answer', prompts);
    // Every warning the agent logs, as text, to find the refusals in.
    const logger = t.runtime.logger as unknown as { warn: (...args: unknown[]) => unknown };
    const warn = logger.warn.bind(logger);
    logger.warn = (...args: unknown[]) => {
      warnings.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      return warn(...args);
    };
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
    await approvedStep(management(), () => management().install(OVERREACHER, { activate: true }));
  });

  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs isolated', () => {
    expect(management().get(NAME)).toMatchObject({ status: 'active', isolation: 'isolated' });
  });

  it('a task worker it did not declare is refused at init too, and logged', async () => {
    // The attack ran: its init asked for the worker.
    expect(await t.runtime.getCache(`${CACHE}init-tried-worker`)).toBe('OVERREACH_INIT_WORKER');
    expect(await t.runtime.getCache(`${CACHE}init-worker-outcome`)).toContain('may not register task worker OVERREACH_INIT_WORKER');
    expect(workersOf(t.runtime)).not.toContain('OVERREACH_INIT_WORKER');
    expect(refusalLogged('register task worker OVERREACH_INIT_WORKER')).toBe(true);
  });

  it('a task worker it did not declare is refused and logged; the declared one is registered and runs', async () => {
    const refused = await overreach('worker OVERREACH_SNEAKY_WORKER');
    // The attack ran: the plugin called registerTaskWorker, and the agent answered it.
    expect(refused?.data?.['attempted']).toBe('worker');
    expect(refused?.success).toBe(false);
    expect(String(refused?.data?.['error'])).toContain('register task worker OVERREACH_SNEAKY_WORKER');
    expect(String(refused?.data?.['error'])).toContain('(held in its host: false)');
    expect(workersOf(t.runtime)).not.toContain('OVERREACH_SNEAKY_WORKER');
    expect(refusalLogged('register task worker OVERREACH_SNEAKY_WORKER')).toBe(true);

    const declared = await overreach('worker OVERREACH_DECLARED_WORKER');
    expect(declared?.success).toBe(true);
    expect(workersOf(t.runtime)).toEqual(['OVERREACH_DECLARED_WORKER']);
    await t.runtime.getTaskWorker('OVERREACH_DECLARED_WORKER')!.execute(t.runtime, {}, { name: 'OVERREACH_DECLARED_WORKER' } as never);
    expect(await t.runtime.getCache(`${CACHE}ran:OVERREACH_DECLARED_WORKER`)).toBe(true);
  });

  it('an event it did not declare is neither handled nor emitted, and is logged; the declared one is both', async () => {
    // The attack ran: the plugin shows a handler for the undeclared event (the inspection lists it).
    expect(management().get(NAME).components.events).toContain('OVERREACH_UNDECLARED_EVENT');
    expect(handlersOf(t.runtime, 'OVERREACH_UNDECLARED_EVENT')).toBe(0);
    expect(refusalLogged('handle event OVERREACH_UNDECLARED_EVENT')).toBe(true);
    await t.runtime.emitEvent('OVERREACH_UNDECLARED_EVENT', { value: 'sent by the agent' });
    expect(await t.runtime.getCache(`${CACHE}handled:OVERREACH_UNDECLARED_EVENT`)).toBeUndefined();

    const emitted = await overreach('emit OVERREACH_UNDECLARED_EVENT');
    // The attack ran: the plugin called emitEvent, and the agent refused it.
    expect(emitted?.data?.['attempted']).toBe('emit');
    expect(String(emitted?.data?.['error'])).toContain('emit event OVERREACH_UNDECLARED_EVENT');
    expect(refusalLogged('emit event OVERREACH_UNDECLARED_EVENT')).toBe(true);

    expect(handlersOf(t.runtime, 'OVERREACH_DECLARED_EVENT')).toBe(1);
    expect((await overreach('emit OVERREACH_DECLARED_EVENT'))?.success).toBe(true);
    expect(await t.runtime.getCache(`${CACHE}handled:OVERREACH_DECLARED_EVENT`)).toBe('emitted OVERREACH_DECLARED_EVENT');
  });

  it('a route it did not declare is not served, and is logged; the declared one is', async () => {
    // The attack ran: the plugin has the undeclared route (the inspection lists it).
    expect(management().get(NAME).components.routes).toContain('GET /undeclared');
    expect(routesOf(t.runtime)).toEqual([`GET /${NAME}/declared`]);
    expect(refusalLogged('serve route GET /undeclared')).toBe(true);
  });

  it('posting to rooms, not declared, is refused and logged', async () => {
    const posted = await overreach('post');
    // The attack ran: the plugin called sendMessageToTarget, and the agent refused it.
    expect(posted?.data?.['attempted']).toBe('post');
    expect(posted?.success).toBe(false);
    expect(String(posted?.data?.['error'])).toContain('may not post to rooms');
    expect(refusalLogged('post to rooms')).toBe(true);
  });

  it("the refusals show in the plugin's status", () => {
    expect(management().get(NAME).refused).toEqual(
      expect.arrayContaining(['register task worker OVERREACH_INIT_WORKER', 'register task worker OVERREACH_SNEAKY_WORKER', 'handle event OVERREACH_UNDECLARED_EVENT', 'emit event OVERREACH_UNDECLARED_EVENT', 'serve route GET /undeclared', 'post to rooms']),
    );
  });

  it('model calls stop at the declared count an hour (3), below the agent\'s bound', async () => {
    const before = prompts.length;
    const result = await overreach('models 5');
    expect(result?.data?.['result']).toEqual({ codes: ['answered', 'answered', 'answered', 'reached its bound', 'reached its bound'] });
    expect(prompts.length - before).toBe(3);
  });

  it('deactivate removes everything it registered, whenever it did: task worker, event handler, route, service, action', async () => {
    expect(workersOf(t.runtime)).toHaveLength(1);
    expect(t.runtime.getService('overreacher_service')).not.toBeNull();
    expect(handlersOf(t.runtime, 'OVERREACH_DECLARED_EVENT')).toBe(1);
    expect(routesOf(t.runtime)).toHaveLength(1);
    await management().deactivate(NAME);
    expect(workersOf(t.runtime)).toEqual([]);
    expect(handlersOf(t.runtime, 'OVERREACH_DECLARED_EVENT')).toBe(0);
    expect(routesOf(t.runtime)).toEqual([]);
    expect(t.runtime.getService('overreacher_service')).toBeNull();
    expect(t.runtime.actions.map((a) => a.name)).not.toContain('OVERREACH');
  });
});
