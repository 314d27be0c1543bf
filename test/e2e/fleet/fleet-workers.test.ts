import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { FLEET_SCHEMA, openFleetPool } from '../../../src/fleet/fleet-db.js';
import { FleetJobs } from '../../../src/fleet/fleet-jobs.js';
import { ServerSlots } from '../../../src/fleet/server-slots.js';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { startPostgres, type PrivateCluster } from '../../helpers/postgres.js';
import { settledProcessesIn } from '../../helpers/processes.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { runProcess } from '../../../src/shared/process-runner.js';
import { ROOT, runCli } from '../cli/cli-process.js';
import { startWorkerProcess, type WorkerProcess } from '../../helpers/fleet-worker-process.js';

/**
 * The fleet on one real PostgreSQL: two agents submit, two `plugin-dynamic worker` processes run the
 * jobs with one build slot for the machine, one worker is SIGKILLed in the middle of a job and the
 * other takes it over; each agent installs what was built for it from the database.
 */

const spec = (name: string) => ({
  name,
  description: `Notes kept by ${name}`,
  actions: [{ name: `save_${name.replace(/\W/g, '_')}`, description: 'Save a note', parameters: { text: 'string' } }],
  providers: [],
});

function until<T>(check: () => Promise<T | undefined>, what: string, limitMs = 240_000): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async (): Promise<void> => {
      const value = await check().catch(() => undefined);
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > limitMs) return reject(new Error(`gave up waiting for ${what}`));
      setTimeout(() => void tick(), 200);
    };
    void tick();
  });
}

describe('the fleet: two agents, two workers, one database', () => {
  let cluster: PrivateCluster;
  let pool: pg.Pool;
  let a: TestRuntime;
  let b: TestRuntime;
  const workers: WorkerProcess[] = [];
  let peak = 0;
  let watching: NodeJS.Timeout | undefined;

  const agent = (settings: Record<string, string>, name: string) =>
    createTestRuntime({
      agentName: name,
      plugins: [pluginDynamic],
      settings: { POSTGRES_URL: cluster.url, PLUGIN_DYNAMIC_FLEET_WORKERS: '0', PLUGIN_DYNAMIC_GENERATOR: 'template', ...settings },
    });
  const creation = (t: TestRuntime) => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const management = (t: TestRuntime) => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    cluster = await startPostgres();
    // Services start after the runtime is up (the creation service opens pg-boss first): wait for each.
    const ready = (t: TestRuntime) => Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE)]);
    a = await agent({}, 'FleetAgentA');
    b = await agent({}, 'FleetAgentB');
    await Promise.all([ready(a), ready(b)]);
    pool = await openFleetPool(cluster.url, 4);
    workers.push(await startWorkerProcess(cluster.url, ['--server-slots', '1']), await startWorkerProcess(cluster.url, ['--server-slots', '1']));
    const slots = new ServerSlots(pool, hostname(), 1, 100);
    watching = setInterval(() => void slots.inUse().then((n) => (peak = Math.max(peak, n)), () => undefined), 100);
  });

  afterAll(async () => {
    if (watching) clearInterval(watching);
    await Promise.allSettled(workers.map((w) => w.stop()));
    await a?.cleanup();
    await b?.cleanup();
    await pool?.end();
    await cluster?.stop();
  });

  it('says which queue it uses', () => {
    expect(creation(a).queueDescription()).toMatch(/^pg-boss on .+\/postgres \(no worker here: jobs run on plugin-dynamic worker processes; 2 builds at once per server/);
  });

  it('runs both agents\' jobs on the workers, survives a SIGKILLed worker, and installs each build in the agent that asked', async () => {
    const jobA = await creation(a).createFromSpec(spec('plugin-fleet-alpha'));
    const jobB = await creation(b).createFromSpec(spec('plugin-fleet-beta'));
    const jobs = new FleetJobs(pool);

    // Kill whichever worker holds job A once it has kept its first accepted sources.
    const holder = await until(async () => {
      const row = await pool.query<{ worker: string | null; phase: string | null; kept: boolean }>(
        `SELECT worker, record->>'phase' AS phase, sources IS NOT NULL AS kept FROM ${FLEET_SCHEMA}.jobs WHERE id = $1`,
        [jobA.id],
      );
      const r = row.rows[0];
      return r?.worker && r.phase && r.kept ? r.worker : undefined;
    }, 'a worker to start job A');
    const pid = Number(holder.split(':')[1]);
    const victim = workers.find((w) => w.child.pid === pid)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));

    const doneA = await creation(a).waitForJob(jobA.id);
    const doneB = await creation(b).waitForJob(jobB.id);
    expect(doneA.status, doneA.error?.message).toBe('succeeded');
    expect(doneB.status, doneB.error?.message).toBe('succeeded');
    expect(doneA.log.map((l) => l.message).join('\n')).toMatch(/Attempt 2 on worker .+ the previous worker stopped/);
    // The retry started from the sources the killed attempt kept (iteration 1), not from the specification.
    expect(doneA.log.map((l) => l.message).join('\n')).toMatch(/Attempt 2 on worker [\s\S]*Resumed from the accepted sources of iteration 1 \(\d+ file\(s\)\)/);
    expect((await jobs.get(jobA.id))?.attempt).toBe(2);

    // Nothing of the killed attempt is left running on the machine.
    expect(await settledProcessesIn(victim.dataDir)).toEqual([]);

    // Each build is stored once, and installed (generated, isolated) in the agent that asked for it only.
    const stored = await pool.query<{ package_name: string; agent_id: string }>(`SELECT package_name, agent_id FROM ${FLEET_SCHEMA}.builds ORDER BY package_name`);
    expect(stored.rows).toEqual([
      { package_name: 'plugin-fleet-alpha', agent_id: a.runtime.agentId },
      { package_name: 'plugin-fleet-beta', agent_id: b.runtime.agentId },
    ]);
    const installedA = await until(async () => management(a).list().find((p) => p.packageName === 'plugin-fleet-alpha'), 'agent A to install its build');
    const installedB = await until(async () => management(b).list().find((p) => p.packageName === 'plugin-fleet-beta'), 'agent B to install its build');
    expect(installedA.trust).toBe('generated');
    expect(installedB.trust).toBe('generated');
    expect(management(a).list().some((p) => p.packageName === 'plugin-fleet-beta')).toBe(false);

    // One build slot for this machine: never more than one sandboxed build at once.
    expect(peak).toBe(1);
  });

  it('a second agent, in its own process and data folder, finds and installs what the first created when asked in chat; a tampered build is refused', async () => {
    // Depends on the builds of the test above (plugin-fleet-alpha, plugin-fleet-beta).
    const search = await runCli(['search', '--fleet', 'fleet-alpha', '--postgres-url', cluster.url], { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root' } });
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toMatch(/^1\. plugin-fleet-alpha@\S+ - Notes kept by plugin-fleet-alpha \(built .*; generated, isolated; sha256 [0-9a-f]{12}\)$/m);
    expect(search.stdout).not.toContain('plugin-fleet-beta');

    await pool.query(`UPDATE ${FLEET_SCHEMA}.builds SET tarball = tarball || '\\x00'::bytea WHERE package_name = 'plugin-fleet-beta'`);
    const dataDir = await mkdtemp(join(tmpdir(), 'pd-fleet-second-'));
    try {
      const child = await runProcess({
        command: process.execPath,
        args: ['--import', 'tsx', join(ROOT, 'test', 'e2e', 'fleet', 'fixtures', 'second-agent.ts'), cluster.url, dataDir, 'plugin-fleet-alpha', 'plugin-fleet-beta'],
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', LOG_LEVEL: 'error' },
        timeoutMs: 240_000,
        maxOutputBytes: 4_000_000,
      });
      expect(child.exitCode, child.stderr).toBe(0);
      const line = child.stdout.trim().split('\n').pop()!;
      const answer = JSON.parse(line) as {
        found: string[];
        installs: Record<string, { status?: string; trust?: string; installDir?: string; asked?: boolean; text?: string; error?: string }>;
        agentId: string;
      };
      expect(answer.agentId).not.toBe(a.runtime.agentId);
      expect(answer.found.sort()).toEqual(['plugin-fleet-alpha', 'plugin-fleet-beta']);
      // Another agent's build asks this agent's user first; after the yes it runs.
      expect(answer.installs['plugin-fleet-alpha']).toMatchObject({ status: 'active', trust: 'generated', asked: true });
      expect(answer.installs['plugin-fleet-alpha']?.installDir?.startsWith(dataDir)).toBe(true);
      expect(answer.installs['plugin-fleet-alpha']?.text).toContain('plugin-fleet-alpha');
      expect(answer.installs['plugin-fleet-alpha']?.text).toContain('needs your approval');
      expect(answer.installs['plugin-fleet-beta']).toEqual({ error: 'FLEET_BUILD_MISMATCH' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('the CLI installs a fleet build by its fleet: source (sha256 checked), and says what to do on PGLite', async () => {
    // Depends on the builds of the first test (plugin-fleet-beta was tampered with by the second).
    const dataDir = await mkdtemp(join(tmpdir(), 'pd-fleet-cli-'));
    const base = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', LOG_LEVEL: 'error' };
    try {
      const fleetEnv = { ...base, POSTGRES_URL: cluster.url, PLUGIN_DYNAMIC_FLEET_WORKERS: '0' };
      const version = (await pool.query<{ v: string }>(`SELECT metadata->>'version' AS v FROM ${FLEET_SCHEMA}.builds WHERE package_name = 'plugin-fleet-alpha'`)).rows[0]!.v;
      const ok = await runCli(['--data-dir', dataDir, '--json', 'install', `fleet:plugin-fleet-alpha@${version}`, '--yes'], { env: fleetEnv });
      expect(ok.code, ok.stderr).toBe(0);
      expect((JSON.parse(ok.stdout) as { data: unknown }).data).toMatchObject({ packageName: 'plugin-fleet-alpha', version, status: 'active', trust: 'generated', isolation: 'isolated' });

      const missing = await runCli(['--data-dir', dataDir, 'install', 'fleet:plugin-fleet-alpha@9.9.9'], { env: fleetEnv });
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('No stored build of plugin-fleet-alpha@9.9.9');

      const tampered = await runCli(['--data-dir', dataDir, 'install', 'fleet:plugin-fleet-beta'], { env: fleetEnv });
      expect(tampered.code).not.toBe(0);
      expect(tampered.stderr).toContain('FLEET_BUILD_MISMATCH');

      const pglite = await runCli(['--data-dir', dataDir, 'install', 'fleet:plugin-fleet-alpha'], { env: base });
      expect(pglite.code).not.toBe(0);
      expect(pglite.stderr).toContain('FLEET_NOT_IN_USE');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('an agent with worker lanes of its own (the default) runs its jobs itself and installs the build', async () => {
    const url = await cluster.createDatabase('solo');
    const solo = await createTestRuntime({
      agentName: 'FleetSoloAgent',
      plugins: [pluginDynamic],
      settings: { POSTGRES_URL: url, PLUGIN_DYNAMIC_GENERATOR: 'template', PLUGIN_DYNAMIC_FLEET_POLL_MS: '300' },
    });
    try {
      await solo.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE);
      expect(creation(solo).queueDescription()).toMatch(/^pg-boss on .+\/solo \(1 worker lane\(s\) here; 2 builds at once per server, retries 2\)$/);
      const job = await creation(solo).createFromSpec(spec('plugin-fleet-solo'));
      const done = await creation(solo).waitForJob(job.id);
      expect(done.status, done.error?.message).toBe('succeeded');
      expect(done.log.map((l) => l.message).join('\n')).toMatch(/Taken by worker .+ \(attempt 1\)/);
      const installed = await until(async () => management(solo).list().find((p) => p.packageName === 'plugin-fleet-solo' && p.status === 'active'), 'the agent to install and load its build');
      expect(installed.trust).toBe('generated');
    } finally {
      await solo.cleanup();
    }
  });

  it('cancelling a job reaches the worker that runs it', async () => {
    const job = await creation(a).createFromSpec(spec('plugin-fleet-gamma'));
    await until(async () => {
      const row = (await new FleetJobs(pool).get(job.id))?.record;
      return row?.status === 'running' && row.phase ? row : undefined;
    }, 'a worker to start the job');
    const cancelled: JobRecord = await creation(a).cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error?.code).toBe('JOB_CANCELLED');
    const stored = await pool.query(`SELECT 1 FROM ${FLEET_SCHEMA}.builds WHERE package_name = 'plugin-fleet-gamma'`);
    expect(stored.rowCount).toBe(0);
    expect(management(a).list().some((p) => p.packageName === 'plugin-fleet-gamma')).toBe(false);
  });
});
