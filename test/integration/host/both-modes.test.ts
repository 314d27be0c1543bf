import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentRuntime, Route } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDataFolder } from '../../../src/management/host/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { componentCounts } from '../../helpers/component-counts.js';
import { runAction } from '../../helpers/run-action.js';
import type { TestRuntime } from '../../helpers/runtime.js';
import { hostProcessesOf, running, waitFor } from './host-processes.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, 'fixtures', 'plugin-every-kind');
const NAME = 'plugin-every-kind';

/** Calls the plugin's route the way the server would, recording the answer. */
async function callRoute(runtime: AgentRuntime): Promise<{ status: number; body: unknown }> {
  const route = runtime.routes.find((r: Route) => r.path === `/${NAME}/greeting` || r.path === '/greeting');
  if (!route?.handler) throw new Error('route not registered');
  const answer = { status: 200, body: undefined as unknown };
  const res = {
    status(code: number) {
      answer.status = code;
      return res;
    },
    json(body: unknown) {
      answer.body = body;
      return res;
    },
    send(body: unknown) {
      answer.body = body;
      return res;
    },
    end() {
      return res;
    },
    setHeader() {
      return res;
    },
  };
  await route.handler({ method: 'GET', path: '/greeting', query: { who: 'route' }, params: {}, headers: {} }, res, runtime);
  return answer;
}

/** Every component kind exercised once; the answers, not how they were produced. */
async function exercise(t: TestRuntime) {
  const runtime = t.runtime;
  await runtime.emitEvent('EVERY_KIND_PING', { value: 'pinged' });
  const worker = runtime.getTaskWorker('EVERY_KIND_TASK');
  await worker?.execute(runtime, { value: 'tasked' }, { name: 'EVERY_KIND_TASK', tags: [] } as never);
  const run = await runAction(runtime, 'EVERY_KIND_ACTION', 'do every kind');
  const state = await runtime.composeState(
    { id: '00000000-0000-0000-0000-0000000000aa', entityId: runtime.agentId, roomId: runtime.agentId, content: { text: 'provider please' } },
    ['EVERY_KIND_PROVIDER'],
  );
  const evaluator = runtime.evaluators.find((e) => e.name === 'EVERY_KIND_EVALUATOR');
  const evaluated = await evaluator?.handler(runtime, { id: '00000000-0000-0000-0000-0000000000ab', entityId: runtime.agentId, roomId: runtime.agentId, content: { text: 'judge me' } });
  const service = runtime.getService('every_kind') as unknown as { greet(name: string): Promise<string> } | null;
  return {
    action: { success: run.results[0]?.success, text: run.results[0]?.text, data: run.results[0]?.data },
    replies: run.replies.map((r) => r.text),
    provider: { text: state.data?.providers?.['EVERY_KIND_PROVIDER']?.text, greeting: state.values['everyKindGreeting'] },
    evaluator: evaluated,
    service: await service?.greet('test'),
    model: await runtime.useModel('EVERY_KIND_MODEL' as never, { prompt: 'hello' } as never),
    route: await callRoute(runtime),
  };
}

describe('the management flow gives the same answers in-process and isolated', () => {
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  let dataDir: string;
  let t: TestRuntime;
  const answers: Record<string, unknown> = {};
  const hostPids: number[] = [];
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    server = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-host-modes-'));
    t = await startManagementRuntime(dataDir, server.url);
    await t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE);
  });

  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  for (const mode of ['in-process', 'isolated'] as const) {
    it(`${mode}: install, configure, activate, use every kind, restart, deactivate, unload, uninstall`, async () => {
      const baseline = componentCounts(t.runtime);
      const installed = await management().install(FIXTURE);
      expect(installed.trust).toBe('user-source');
      expect(installed.isolation).toBe('isolated');
      expect(installed.status).toBe('needs_configuration');
      const overridden = await management().setIsolation(NAME, mode);
      expect(overridden).toMatchObject({ isolation: mode, isolationDecidedBy: 'override' });
      await management().configure(NAME, { EVERY_KIND_GREETING: 'hello' });
      const active = await approvedStep(management(), () => management().activate(NAME));
      expect(active.status).toBe('active');
      expect(componentCounts(t.runtime)).not.toEqual(baseline);
      answers[mode] = await exercise(t);
      if (mode === 'isolated') hostPids.push(...hostProcessesOf(dataDir));

      // A new value reaches the plugin without a reload, in both modes.
      await management().configure(NAME, { EVERY_KIND_GREETING: 'howdy' });
      const afterConfigure = await runAction(t.runtime, 'EVERY_KIND_ACTION', 'again');
      expect(afterConfigure.results[0]?.data?.['greeting']).toBe('howdy');

      // Restart: the agent stops and starts on the same data folder; the plugin comes back active.
      await t.cleanup({ keepData: true, restartable: true });
      t = await startManagementRuntime(dataDir, server.url);
      // The counts compare with the first runtime's, so its other service must have started too.
      await t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE);
      expect(management().get(NAME)).toMatchObject({ status: 'active', isolation: mode });
      const afterRestart = await runAction(t.runtime, 'EVERY_KIND_ACTION', 'after restart');
      expect(afterRestart.results[0]?.success).toBe(true);

      await management().deactivate(NAME);
      expect(management().get(NAME).status).toBe('inactive');
      expect(componentCounts(t.runtime)).toEqual(baseline);
      await management().activate(NAME);
      await management().unload(NAME);
      expect(componentCounts(t.runtime)).toEqual(baseline);
      const dataFolder = pluginDataFolder(join(dataDir, 'plugin-dynamic'), NAME);
      if (mode === 'isolated') expect(existsSync(dataFolder)).toBe(true);
      await management().uninstall(NAME);
      expect(existsSync(dataFolder)).toBe(false);
      expect(management().list().map((p) => p.packageName)).not.toContain(NAME);
    });
  }

  it('answered every call the same way in both modes', () => {
    expect(answers['isolated']).toEqual(answers['in-process']);
    expect(answers['isolated']).toMatchObject({
      action: { success: true, data: { greeting: 'hello', lastEvent: 'pinged', lastTask: 'tasked', visits: 1 } },
      replies: ['every kind says hello'],
      provider: { text: 'The greeting is hello.', greeting: 'hello' },
      evaluator: { success: true, text: 'evaluated judge me' },
      service: 'hello test (2)',
      model: 'model answered hello',
      route: { status: 200, body: { greeting: 'hello', query: { who: 'route' } } },
    });
  });

  it('leaves no host process behind', async () => {
    expect(management().list()).toEqual([]);
    expect(hostPids).not.toEqual([]);
    await waitFor('the host processes to end', () => hostPids.every((pid) => !running(pid)), 10_000);
  });
});
