import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import type { SparePool } from '../../../src/creation/spare/spare-pool.js';
import { pluginDynamic } from '../../../src/index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { processAlive } from '../../../src/shared/process-alive.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/**
 * The warm spare toolchain with real bubblewrap and real workers (tsc + ESLint, Vitest): a job
 * adopts it and passes, the next job gets a new one, a job with dependencies does not take it, a
 * spare that dies is replaced and the service's stop kills and removes it.
 */
const spec = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: 'Greets whoever asks, for the warm spare tests',
  version: '0.1.0',
  actions: [{ name: 'sayHello', description: 'Say hello to someone', parameters: { who: 'string' } }],
  ...extra,
});

/** Waits (bounded) until the pool has a spare waiting whose id is not `notId`. */
async function waitingOtherThan(pool: SparePool, notId: string | undefined) {
  return vi.waitFor(
    () => {
      const waiting = pool.waitingSpare();
      if (!waiting || waiting.id === notId || !waiting.pids.check || !waiting.pids.test) throw new Error('no new spare waiting yet');
      return waiting;
    },
    { timeout: 60_000, interval: 100 },
  );
}

describe('the warm spare toolchain', () => {
  let t: TestRuntime;
  let creation: PluginCreationService;
  let pool: SparePool;
  let registry: FixtureServer;
  let pluginDataDir: string;

  beforeAll(async () => {
    // Nothing on this server: an install from it fails at once, without the internet.
    registry = await startFixtureServer();
    process.env['npm_config_registry'] = `${registry.url}/`;
    t = await createTestRuntime({ plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_WARM_TOOLCHAIN: 'on', PLUGIN_DYNAMIC_GENERATOR: 'template' } });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
    creation = t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
    pluginDataDir = creation.settings.dataDir;
    const spares = creation.warmSpares;
    if (!spares) throw new Error('the creation service started no warm spare');
    pool = spares;
  }, 120_000);
  afterAll(async () => {
    await t.cleanup();
    await registry.close();
    delete process.env['npm_config_registry'];
  });

  let firstSpare: Awaited<ReturnType<typeof waitingOtherThan>>;

  it('is adopted by a job, which passes in its workspace with its workers', async () => {
    firstSpare = await waitingOtherThan(pool, undefined);
    const queued = await creation.createFromSpec(spec('plugin-spare-one'), { activate: false });
    const done = await creation.waitForJob(queued.id);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.workspaceDir).toBe(firstSpare.workspaceDir);
    expect(done.log.map((l) => l.message)).toContainEqual(expect.stringContaining('Toolchain: adopted the warm spare'));
    expect(done.phases?.find((p) => p.name === 'setup')?.note).toBe('warm spare toolchain adopted');
    expect(done.tests?.failed).toBe(0);
    expect(done.tests?.passed).toBeGreaterThan(0);
    // The job is done with them: its workers ended with it.
    await vi.waitFor(() => expect([processAlive(firstSpare.pids.check!), processAlive(firstSpare.pids.test!)]).toEqual([false, false]), { timeout: 10_000 });
  }, 180_000);

  it('is replaced after the job: the next job adopts a new spare with new processes', async () => {
    const second = await waitingOtherThan(pool, firstSpare.id);
    expect(second.workspaceDir).not.toBe(firstSpare.workspaceDir);
    expect([second.pids.check, second.pids.test]).not.toContain(firstSpare.pids.check);
    expect([second.pids.check, second.pids.test]).not.toContain(firstSpare.pids.test);
    const queued = await creation.createFromSpec(spec('plugin-spare-two'), { activate: false });
    const done = await creation.waitForJob(queued.id);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.workspaceDir).toBe(second.workspaceDir);
  }, 180_000);

  it('is not adopted by a job whose specification declares dependencies', async () => {
    const waiting = await waitingOtherThan(pool, firstSpare.id);
    const queued = await creation.createFromSpec(spec('plugin-spare-deps', { dependencies: { 'left-pad': '1.3.0' } }), { activate: false });
    const done = await creation.waitForJob(queued.id);
    expect(done.log.map((l) => l.message)).toContainEqual(expect.stringContaining('Toolchain: fresh workers (its specification declares dependencies (left-pad)'));
    expect(done.workspaceDir).toBe(join(pluginDataDir, 'workspaces', queued.id));
    // The spare still waits for the next job.
    expect(pool.waitingSpare()?.id).toBe(waiting.id);
    expect(processAlive(waiting.pids.check!)).toBe(true);
  }, 180_000);

  it('is replaced when one of its workers dies', async () => {
    const waiting = await waitingOtherThan(pool, firstSpare.id);
    process.kill(waiting.pids.test!, 'SIGKILL');
    const next = await waitingOtherThan(pool, waiting.id);
    expect(next.workspaceDir).not.toBe(waiting.workspaceDir);
    // The dead spare's other worker, its workspace and its configuration copies are gone.
    await vi.waitFor(() => expect(processAlive(waiting.pids.check!)).toBe(false), { timeout: 10_000 });
    expect(existsSync(waiting.workspaceDir)).toBe(false);
    expect(existsSync(join(pluginDataDir, 'job-config', `spare-${waiting.id}`))).toBe(false);
  }, 120_000);

  it("is killed and removed when the service stops", async () => {
    const waiting = await waitingOtherThan(pool, undefined);
    await creation.stop();
    await vi.waitFor(() => expect([processAlive(waiting.pids.check!), processAlive(waiting.pids.test!)]).toEqual([false, false]), { timeout: 10_000 });
    expect(existsSync(waiting.workspaceDir)).toBe(false);
    expect(readdirSync(join(pluginDataDir, 'job-config'))).toEqual([]);
    expect(pool.waitingSpare()).toBeUndefined();
  }, 60_000);
});
