import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { startBoss } from '../../../src/fleet/fleet-boss.js';
import { FleetBuilds } from '../../../src/fleet/fleet-builds.js';
import { ensureFleetSchema, FLEET_SCHEMA, openFleetPool } from '../../../src/fleet/fleet-db.js';
import { FleetJobs } from '../../../src/fleet/fleet-jobs.js';
import { requireSandbox } from '../../../src/fleet/fleet-worker.js';
import { ServerSlots } from '../../../src/fleet/server-slots.js';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import { startPostgres, type PrivateCluster } from '../../helpers/postgres.js';

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'nothing was raised';
};

function record(id: string): JobRecord {
  const now = new Date().toISOString();
  return {
    id, status: 'queued', iteration: 0, maxIterations: 3, progress: 0, pluginName: 'plugin-x', spec: { name: 'plugin-x' },
    request: { kind: 'spec' }, generator: 'template', sandbox: 'pending', activate: true, workspaceDir: '/nowhere', log: [], iterations: [],
    createdAt: now, updatedAt: now,
  };
}

describe('the fleet database: clear errors for bad input and bad state', () => {
  let cluster: PrivateCluster;
  let pool: pg.Pool;
  let scratch: string;

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = await openFleetPool(cluster.url, 6);
    await ensureFleetSchema(pool, cluster.url);
    scratch = await mkdtemp(join(tmpdir(), 'pd-fleet-errors-'));
  });
  afterAll(async () => {
    await pool?.end();
    await cluster?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('an unreachable database is FLEET_DATABASE_UNREACHABLE, naming where it looked', async () => {
    const nowhere = `postgresql://postgres@/postgres?host=${encodeURIComponent(join(scratch, 'no-server'))}`;
    const error = await openFleetPool(nowhere, 1).catch((e: unknown) => e as { code: string; message: string });
    expect(error).toMatchObject({ code: 'FLEET_DATABASE_UNREACHABLE' });
    expect((error as { message: string }).message).toContain(join(scratch, 'no-server'));
    expect(await codeOf(openFleetPool(cluster.urlFor('no_such_db'), 1))).toBe('FLEET_DATABASE_UNREACHABLE');
  });

  it("a user who may not create pg-boss's or the fleet's schema gets FLEET_SCHEMA_DENIED", async () => {
    const url = await cluster.createDatabase('locked');
    const restricted = await cluster.createRestrictedRole('agent_without_create', 'locked');
    const restrictedPool = await openFleetPool(restricted, 2);
    try {
      expect(await codeOf(ensureFleetSchema(restrictedPool, restricted))).toBe('FLEET_SCHEMA_DENIED');
    } finally {
      await restrictedPool.end();
    }
    const boss = startBoss({ url: restricted, retryLimit: 1, expireInSeconds: 60, retentionDays: 1, onError: () => undefined });
    expect(await codeOf(boss)).toBe('FLEET_SCHEMA_DENIED');
    expect(url).toContain('/locked');
  });

  it('a worker without a sandbox refuses to start: FLEET_SANDBOX_REQUIRED', async () => {
    const settings = loadConfig((key) => ({ PLUGIN_DYNAMIC_SANDBOX: 'none', PLUGIN_DYNAMIC_DATA_DIR: scratch })[key]);
    expect(await codeOf(requireSandbox(settings))).toBe('FLEET_SANDBOX_REQUIRED');
  });

  it('two workers racing for one attempt of a job: one holds it, the other gets FLEET_JOB_TAKEN', async () => {
    const jobs = new FleetJobs(pool);
    const id = '00000000-0000-4000-8000-000000000001';
    await jobs.insert('agent-a', record(id), 10);
    const results = await Promise.allSettled([jobs.claim(id, 'w1', 1), jobs.claim(id, 'w2', 1)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(lost?.reason).toMatchObject({ code: 'FLEET_JOB_TAKEN' });
    const winner = (await jobs.get(id)) as unknown as { attempt: number };
    expect(winner.attempt).toBe(1);
    // The loser's writes are refused as well; a later attempt takes the job over.
    const loserName = results[0].status === 'fulfilled' ? 'w2' : 'w1';
    expect(await codeOf(jobs.writeClaimed(record(id), loserName, 1))).toBe('FLEET_JOB_TAKEN');
    await jobs.claim(id, loserName, 2);
    expect(await codeOf(jobs.writeClaimed(record(id), loserName === 'w1' ? 'w2' : 'w1', 1))).toBe('FLEET_JOB_TAKEN');
  });

  it('the hourly limit of an agent is counted in the database: JOB_RATE_LIMITED', async () => {
    const jobs = new FleetJobs(pool);
    const ids = [2, 3, 4].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
    const results = await Promise.allSettled(ids.map((id) => jobs.insert('agent-rate', record(id), 2)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'JOB_RATE_LIMITED' });
  });

  it('a stored build whose tarball does not match its sha256 is not extracted: FLEET_BUILD_MISMATCH', async () => {
    const builds = new FleetBuilds(pool);
    const tarball = Buffer.from('not the build that was recorded');
    await builds.store({
      packageName: 'plugin-tampered', sha256: 'f'.repeat(64), description: 'x', jobId: '00000000-0000-4000-8000-000000000009', agentId: 'a',
      tarball, metadata: { version: '1.0.0', distSha256: 'e'.repeat(64), files: 1, components: [], trust: 'generated', isolation: 'isolated' },
    });
    const into = join(scratch, 'shipped');
    expect(await codeOf(builds.extract('plugin-tampered', into, new AbortController().signal))).toBe('FLEET_BUILD_MISMATCH');
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${FLEET_SCHEMA}.builds`);
    expect(rows[0]).toEqual({ n: 1 });
  });

  it("server slots: at most the limit at once on one host, across sessions; a slot frees when its holder's session ends", async () => {
    const slots = new ServerSlots(pool, 'host-under-test', 2, 50);
    const signal = new AbortController();
    const a = await slots.acquire(signal.signal);
    const b = await slots.acquire(signal.signal);
    expect([a?.index, b?.index].sort()).toEqual([0, 1]);
    expect(await slots.inUse()).toBe(2);
    const waiting = slots.acquire(signal.signal);
    let third: Awaited<typeof waiting> | 'pending' = 'pending';
    void waiting.then((s) => (third = s));
    await new Promise((r) => setTimeout(r, 300));
    expect(third).toBe('pending');
    // The holder's session dies (as a SIGKILLed worker's would): its slot is free at once.
    a!.client.release(true);
    const got = await waiting;
    expect(got?.index).toBe(a?.index);
    expect(await slots.inUse()).toBe(2);
    await b!.release();
    await got!.release();
    expect(await slots.inUse()).toBe(0);
  });
});
