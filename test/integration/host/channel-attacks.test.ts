import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IAgentRuntime } from '@elizaos/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import { pluginDataFolder } from '../../../src/management/host/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, scriptModel, type TestRuntime } from '../../helpers/runtime.js';
import { waitFor } from './host-processes.js';
import { approvedStep } from '../../helpers/approval.js';

const here = dirname(fileURLToPath(import.meta.url));
const ATTACKER = join(here, 'fixtures', 'plugin-boundary-attacker');
const SHAPESHIFTER = join(here, 'fixtures', 'plugin-shapeshifter');
const INIT_REGISTERS = join(here, 'fixtures', 'plugin-init-registers');
const NAME = 'plugin-boundary-attacker';
const MODEL_BUDGET = 5;
const CACHE_PREFIX = `plugin-host:${NAME}:`;

/** Counts the runtime's getCache calls for the attacker's keys, and how many ran at once at most. */
function watchCache(runtime: IAgentRuntime): { calls: number; maxConcurrent: number; reset(): void } {
  const stats = { calls: 0, maxConcurrent: 0, reset: () => Object.assign(stats, { calls: 0, maxConcurrent: 0 }) };
  let running = 0;
  const original = runtime.getCache.bind(runtime);
  runtime.getCache = (async (key: string) => {
    if (!key.startsWith(CACHE_PREFIX)) return original(key);
    stats.calls++;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, ++running);
    try {
      return await original(key);
    } finally {
      running--;
    }
  });
  return stats;
}

/** Task workers of the runtime registered for this plugin (the runtime keeps them in a private map). */
const workersOf = (runtime: IAgentRuntime, plugin: string): string[] =>
  [...((runtime as unknown as { taskWorkers: Map<string, { isolatedFor?: string }> }).taskWorkers).values()]
    .filter((w) => w.isolatedFor === plugin)
    .map((w) => (w as { name: string }).name);

describe('attacks on the channel between the agent and an isolated plugin', () => {
  let t: TestRuntime;
  let dataDir: string;
  let cache: ReturnType<typeof watchCache>;
  const modelPrompts: string[] = [];
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const attack = async (text: string) => (await runAction(t.runtime, 'BOUNDARY_ATTACK', text)).results[0];
  const attackData = async (text: string) => (await attack(text))?.data?.['result'] as Record<string, any>;
  const restarted = async () => {
    await waitFor('the plugin to move to error', () => management().get(NAME).status === 'error');
    await waitFor('the restart', () => management().get(NAME).status === 'active');
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-channel-attacks-'));
    t = await createTestRuntime({
      dataDir,
      plugins: [pluginDynamic],
      settings: {
        PLUGIN_DYNAMIC_HOST_CALL_TIMEOUT_MS: '8000',
        PLUGIN_DYNAMIC_HOST_RESTART_DELAY_MS: '100',
        PLUGIN_DYNAMIC_HOST_MAX_RESTARTS: '8',
        PLUGIN_DYNAMIC_HOST_MAX_MODEL_CALLS: String(MODEL_BUDGET),
      },
    });
    scriptModel(t.runtime, () => 'scripted answer', modelPrompts);
    await t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE);
    cache = watchCache(t.runtime);
    await approvedStep(management(), () => management().install(ATTACKER, { activate: true }));
  });

  // Each attack starts from a running plugin (one that killed its host is restarted in between).
  beforeEach(async () => {
    if (t) await waitFor('the plugin to be active', () => management().get(NAME).status === 'active');
  });

  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a JSON null frame kills that host and moves the plugin to error, in an agent process with no rejection handler', async () => {
    const agentData = await mkdtemp(join(tmpdir(), 'pd-bad-frame-agent-'));
    try {
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'bad-frame-agent.ts'), agentData, 'null'], {
        encoding: 'utf8',
        timeout: 150_000,
        env: { ...process.env, LOG_LEVEL: 'error' },
      });
      const report = child.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{"sent"'));
      // The attack ran: the plugin wrote its line on the channel.
      expect(report, `agent exited ${child.status}: ${child.stderr.slice(-2000)}`).toBeDefined();
      const parsed = JSON.parse(report!) as { sent: string | null; status: string; lastError: { code: string; message: string } | null };
      expect(parsed.sent).toBe('null');
      // Nothing got through: the agent lived, and the plugin is in error naming the bad frame.
      expect(child.status).toBe(0);
      expect(parsed.status).toBe('error');
      expect(parsed.lastError?.code).toBe('HOST_DIED');
      expect(parsed.lastError?.message).toMatch(/frame/);
    } finally {
      await rm(agentData, { recursive: true, force: true });
    }
  });

  it.each([
    ['a response to no call', '{"t":"s","i":"nobody","r":1}'],
    ['a request for a function the agent does not offer', '{"t":"q","i":"x1","m":"toString","a":[]}'],
    ['a request whose arguments are not a list', '{"t":"q","i":"x2","m":"forward","a":"getCache"}'],
    ['a number', '42'],
  ])('%s kills that host and moves the plugin to error', async (_what, line) => {
    const marker = join(pluginDataFolder(join(dataDir, 'plugin-dynamic'), NAME), 'frame-sent.txt');
    rmSync(marker, { force: true });
    await attack(`frame ${line}`);
    // The attack ran: the plugin wrote the line (the action may not answer before its host is cut off).
    expect(readFileSync(marker, 'utf8')).toBe(line);
    await waitFor('the plugin to move to error', () => management().get(NAME).status === 'error');
    expect(management().get(NAME).lastError?.message).toMatch(/frame/);
    await waitFor('the restart', () => management().get(NAME).status === 'active');
  });

  it('a host that stops reading and asks for a large value many times does not make the agent queue the replies', async () => {
    // A first, small round grows the database's own memory to hold the value; the second is measured.
    await attackData('hoard 4 1.9 0');
    cache.reset();
    const before = process.memoryUsage().rss;
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss - before);
    }, 5);
    try {
      const result = await attackData('hoard 60 1.9 3000');
      // The attack ran: 60 requests were written and the agent served some of them.
      expect(result['requests']).toBe(60);
      expect(cache.calls).toBeGreaterThan(0);
    } finally {
      clearInterval(sampler);
    }
    // 60 answers of 1.9 MB each would be 114 MB queued for a host that does not read.
    expect(peak).toBeLessThan(64 * 1024 * 1024);
    const stats = management().hostChannelStats(NAME);
    // The bound: 2 MB unsent, plus at most 8 answers of at most 2 MB already under way.
    expect(stats?.maxUnsentBytes).toBeLessThanOrEqual(18 * 1024 * 1024);
  });

  it('a burst of forwarded calls runs a bounded number at a time', async () => {
    cache.reset();
    const result = await attackData('flood 600');
    // The attack ran: 600 calls were made at once, and the agent served them.
    expect(result['calls']).toBe(600);
    expect(result['fulfilled']).toBe(600);
    expect(cache.calls).toBeGreaterThan(0);
    expect(cache.maxConcurrent).toBeLessThanOrEqual(8);
  });

  it('the model-call budget is per plugin: crashing the host does not reset it', async () => {
    const first = await attackData(`models ${MODEL_BUDGET}`);
    expect(first['answered']).toBe(MODEL_BUDGET);
    await attack('crash');
    await restarted();
    const promptsBefore = modelPrompts.length;
    const second = await attackData('models 3');
    // The attack ran: three more calls were made after the restart.
    expect(second['answered'] + second['refused']).toBe(3);
    expect(second['answered']).toBe(0);
    expect(modelPrompts.length).toBe(promptsBefore);
  });

  it('task workers registered after start are capped and leave with the plugin', async () => {
    const result = await attackData('workers 300');
    expect(result['attempted']).toBe(300);
    expect(workersOf(t.runtime, NAME).length).toBeGreaterThan(0);
    expect(workersOf(t.runtime, NAME).length).toBeLessThanOrEqual(16);
    expect(result['refused']).toBeGreaterThanOrEqual(300 - 16);
    await management().deactivate(NAME);
    expect(workersOf(t.runtime, NAME)).toEqual([]);
    await management().activate(NAME);
  });

  it('components the install-time inspection did not show are refused at run time', async () => {
    const handlersBefore = ((t.runtime.events as Record<string, unknown[]>)['MESSAGE_RECEIVED'] ?? []).length;
    await approvedStep(management(), () => management().install(SHAPESHIFTER, { activate: true }));
    // The attack ran: in its host the plugin announced an evaluator, an event handler and an action it did not show.
    const marker = join(pluginDataFolder(join(dataDir, 'plugin-dynamic'), 'plugin-shapeshifter'), 'announced-hidden-components.txt');
    expect(existsSync(marker)).toBe(true);
    expect(management().get('plugin-shapeshifter').status).toBe('active');
    expect(t.runtime.actions.map((a) => a.name)).toContain('SHAPESHIFTER_HELLO');
    expect(t.runtime.actions.map((a) => a.name)).not.toContain('SHAPESHIFTER_EXTRA');
    expect(t.runtime.evaluators.map((e) => e.name)).not.toContain('SHAPESHIFTER_SNOOP');
    expect(((t.runtime.events as Record<string, unknown[]>)['MESSAGE_RECEIVED'] ?? []).length).toBe(handlersBefore);
    await management().deactivate('plugin-shapeshifter');
  });

  it('register* in init loads isolated; what init registered is checked against the inspection', async () => {
    const names = () => [...t.runtime.actions.map((a) => a.name), ...t.runtime.evaluators.map((e) => e.name)];
    const view = await approvedStep(management(), () => management().install(INIT_REGISTERS, { activate: true }));
    // The attack ran: init's register* calls went through in the host.
    const marker = join(pluginDataFolder(join(dataDir, 'plugin-dynamic'), 'plugin-init-registers'), 'init-registered.txt');
    expect(existsSync(marker)).toBe(true);
    expect(view.status).toBe('active');
    expect(names()).toContain('INIT_REGISTERS_SHOWN');
    // Neither was shown at install: no stub for them.
    expect(names()).not.toContain('INIT_REGISTERS_BY_HAND');
    expect(names()).not.toContain('INIT_REGISTERS_WATCHER');
    await management().deactivate('plugin-init-registers');
    expect(names()).not.toContain('INIT_REGISTERS_SHOWN');
  });

  it('20 activations and 20 deactivations fired at once end consistent', async () => {
    const actionsBefore = t.runtime.actions.filter((a) => a.name !== 'BOUNDARY_ATTACK').length;
    const ops = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? management().activate(NAME) : management().deactivate(NAME)));
    const settled = await Promise.allSettled(ops);
    // The attack ran: all 40 operations were made, and some of each kind succeeded.
    expect(settled).toHaveLength(40);
    expect(settled.some((s, i) => i % 2 === 0 && s.status === 'fulfilled')).toBe(true);
    expect(settled.some((s, i) => i % 2 === 1 && s.status === 'fulfilled')).toBe(true);
    const status = management().get(NAME).status;
    const own = t.runtime.actions.filter((a) => a.name === 'BOUNDARY_ATTACK').length;
    expect(t.runtime.actions.length - own).toBe(actionsBefore);
    expect(own).toBe(status === 'active' ? 1 : 0);
    expect(t.runtime.plugins.filter((p) => p.name === NAME).length).toBe(status === 'active' ? 1 : 0);
    expect(management().get(NAME).status === 'active').toBe(status === 'active');
  });
});
