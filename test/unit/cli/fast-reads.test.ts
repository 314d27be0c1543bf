import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClosedSnapshotSchema, readClosedSnapshot, writeClosedSnapshot, type ClosedSnapshot } from '../../../src/cli/fast/closed-snapshot.js';
import { fastJobs, listedJobs } from '../../../src/cli/fast/fast-jobs.js';
import { fastPluginList } from '../../../src/cli/fast/fast-plugins.js';
import { nextRuntimeConfig } from '../../../src/cli/fast/next-runtime-config.js';
import { JobRecordSchema, type JobRecord } from '../../../src/creation/jobs/job-record.js';
import { pickJob } from '../../../src/creation/jobs/job-store.js';
import { decideIsolation } from '../../../src/management/host/isolation.js';
import { toPluginView } from '../../../src/management/plugin-view.js';
import { PluginRecordSchema, type PluginRecord } from '../../../src/management/state/plugin-record.js';
import { forgetClosedSnapshot } from '../../../src/shared/state-mirror.js';

/*
 * The CLI's reads without a runtime answer only when a runtime started now would show the same
 * (its restore would change nothing); every other case says "undefined" and the CLI starts the runtime.
 */
const DAY_MS = 24 * 3_600_000;
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pd-fast-reads-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A record whose folder and entry exist under the data folder's plugins/ (as the installer leaves them). */
async function installed(packageName: string, over: Partial<PluginRecord> = {}): Promise<PluginRecord> {
  const installDir = join(dataDir, 'plugins', packageName);
  const entry = join(installDir, 'node_modules', packageName, 'index.js');
  await mkdir(join(installDir, 'node_modules', packageName), { recursive: true });
  await writeFile(entry, 'export default {};\n');
  return PluginRecordSchema.parse({
    packageName,
    pluginName: packageName,
    version: '1.0.0',
    source: { kind: 'folder', path: '/src/x' },
    trust: 'user-source',
    installDir,
    entry,
    status: 'installed',
    settings: [],
    components: { actions: [], providers: [], evaluators: [], services: [], routes: [], models: [], events: [] },
    installedAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    ...over,
  });
}

/** The pair the closing runtime writes: the record and the service's view of it under `policy`. */
function pair(record: PluginRecord, set: (name: string) => boolean = () => false, policy: 'auto' | 'all' | 'none' = 'auto') {
  return { record, view: toPluginView(record, set, decideIsolation(policy, record.trust, record.isolation)) };
}

function job(id: string, over: Partial<JobRecord> = {}): JobRecord {
  return JobRecordSchema.parse({
    id,
    status: 'succeeded',
    iteration: 1,
    maxIterations: 5,
    progress: 100,
    pluginName: 'plugin-notes',
    spec: {},
    request: { kind: 'spec' },
    generator: 'template',
    sandbox: 'bubblewrap',
    activate: true,
    workspaceDir: join(dataDir, 'workspaces', id),
    log: [],
    iterations: [],
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    updatedAt: new Date(Date.now() - 30_000).toISOString(),
    ...over,
  });
}

function snapshot(parts: Partial<ClosedSnapshot>): ClosedSnapshot {
  return ClosedSnapshotSchema.parse({ version: 1, closedAt: new Date().toISOString(), inherited: {}, plugins: [], jobs: [], ...parts });
}

const config = (env: NodeJS.ProcessEnv = {}, inherited: Record<string, string> = {}) => {
  const c = nextRuntimeConfig(dataDir, env, inherited);
  if (!c) throw new Error('the test configuration is invalid');
  return c;
};

describe('list without a runtime', () => {
  it('answers with the views the runtime wrote when its restore would keep every plugin as it is', async () => {
    const a = pair(await installed('plugin-a', { status: 'active' }));
    const b = pair(await installed('plugin-b', { status: 'inactive' }));
    const c = pair(
      await installed('plugin-c', { status: 'needs_configuration', settings: [{ name: 'C_TOKEN', description: 'token', required: true, sensitive: true }] }),
    );
    expect(fastPluginList(snapshot({ plugins: [a, b, c] }), config())).toEqual([a.view, b.view, c.view]);
  });

  it('starts the runtime instead when a restore would change a plugin', async () => {
    const gone = await installed('plugin-gone');
    await rm(gone.installDir, { recursive: true });
    const noEntry = await installed('plugin-no-entry');
    await rm(noEntry.entry);
    const outside = await installed('plugin-outside', { installDir: join(dataDir, 'elsewhere') });
    const failed = await installed('plugin-failed', { status: 'error', lastError: { code: 'LOAD_FAILED', message: 'x', at: '2026-12-01T10:00:00.000Z' } });
    const configured = await installed('plugin-configured', {
      status: 'needs_configuration',
      settings: [{ name: 'D_TOKEN', description: 'token', required: true, sensitive: true }],
    });
    const unconfigured = await installed('plugin-unconfigured', {
      status: 'active',
      settings: [{ name: 'E_TOKEN', description: 'token', required: true, sensitive: true }],
    });
    expect(fastPluginList(snapshot({ plugins: [pair(gone)] }), config())).toBeUndefined();
    expect(fastPluginList(snapshot({ plugins: [pair(noEntry)] }), config())).toBeUndefined();
    expect(fastPluginList(snapshot({ plugins: [pair(outside)] }), config())).toBeUndefined();
    // A restart makes an `error` plugin `installed`.
    expect(fastPluginList(snapshot({ plugins: [pair(failed)] }), config())).toBeUndefined();
    // Its setting has a value now: a restart makes it `installed`.
    expect(fastPluginList(snapshot({ plugins: [pair(configured, (n) => n === 'D_TOKEN')] }), config())).toBeUndefined();
    // A required setting without a value: a restart makes it `needs_configuration`.
    expect(fastPluginList(snapshot({ plugins: [pair(unconfigured)] }), config())).toBeUndefined();
  });

  it('decides placement with this environment over the setting the agent record inherited, and starts the runtime when it differs', async () => {
    const registry = await installed('plugin-registry', { trust: 'registry', source: { kind: 'registry', name: 'plugin-registry' } });
    const underAll = snapshot({ plugins: [pair(registry, () => false, 'all')], inherited: { PLUGIN_DYNAMIC_ISOLATION: 'all' } });
    // The earlier command ran with PLUGIN_DYNAMIC_ISOLATION=all: its agent record hands it on.
    expect(fastPluginList(underAll, config({}, underAll.inherited))).toHaveLength(1);
    expect(fastPluginList(underAll, config({ PLUGIN_DYNAMIC_ISOLATION: 'auto' }, underAll.inherited))).toBeUndefined();
    const underAuto = snapshot({ plugins: [pair(registry)] });
    expect(fastPluginList(underAuto, config({ PLUGIN_DYNAMIC_ISOLATION: 'all' }))).toBeUndefined();
  });

  it("starts the runtime for an in-process plugin that declares one of the runtime's own settings", async () => {
    const record = await installed('plugin-reads-runtime', {
      trust: 'registry',
      source: { kind: 'registry', name: 'plugin-reads-runtime' },
      settings: [{ name: 'PLUGIN_DYNAMIC_REGISTRY_URL', description: 'x', required: false, sensitive: false }],
    });
    expect(fastPluginList(snapshot({ plugins: [pair(record)] }), config())).toBeUndefined();
  });
});

describe('jobs and status without a runtime', () => {
  it('lists finished jobs newest first, at most the listing limit, and finds one by id or prefix', () => {
    const older = job('aaaaaaaa-0000', { createdAt: new Date(Date.now() - 120_000).toISOString() });
    const newer = job('bbbbbbbb-0000');
    const jobs = fastJobs(snapshot({ jobs: [older, newer] }), config());
    expect(jobs?.map((j) => j.id)).toEqual(['bbbbbbbb-0000', 'aaaaaaaa-0000']);
    expect(pickJob(jobs ?? [], 'aaaaaaaa').id).toBe('aaaaaaaa-0000');
    expect(() => pickJob(jobs ?? [], 'aaaa')).toThrow(expect.objectContaining({ code: 'JOB_NOT_FOUND' }));
    const many = Array.from({ length: 60 }, (_, i) => job(`job-${String(i).padStart(4, '0')}`));
    expect(listedJobs(fastJobs(snapshot({ jobs: many }), config()) ?? [])).toHaveLength(50);
  });

  it('starts the runtime when a job is not finished or is past its retention days', () => {
    for (const status of ['queued', 'running'] as const) {
      expect(fastJobs(snapshot({ jobs: [job('cccccccc-0000', { status, progress: 10 })] }), config())).toBeUndefined();
    }
    const old = job('dddddddd-0000', { updatedAt: new Date(Date.now() - 8 * DAY_MS).toISOString() });
    expect(fastJobs(snapshot({ jobs: [old] }), config())).toBeUndefined();
    expect(fastJobs(snapshot({ jobs: [old] }), config({ PLUGIN_DYNAMIC_RETENTION_DAYS: '30' }))).toHaveLength(1);
  });
});

describe('the closed snapshot file', () => {
  it('is read back as written, and not at all once a runtime opens the database again', async () => {
    const record = await installed('plugin-a');
    await writeClosedSnapshot(dataDir, { inherited: {}, plugins: [pair(record)], jobs: [job('eeeeeeee-0000')] });
    const read = await readClosedSnapshot(dataDir);
    expect(read?.plugins[0]?.record).toEqual(record);
    expect(read?.jobs.map((j) => j.id)).toEqual(['eeeeeeee-0000']);
    await forgetClosedSnapshot(dataDir);
    expect(await readClosedSnapshot(dataDir)).toBeUndefined();
  });

  it('is not read when it is not JSON, not of this shape, or a link', async () => {
    const file = join(dataDir, 'cli-state', 'closed.json');
    await mkdir(join(dataDir, 'cli-state'), { recursive: true });
    await writeFile(file, '{ not json');
    expect(await readClosedSnapshot(dataDir)).toBeUndefined();
    await writeFile(file, JSON.stringify({ version: 1, closedAt: 'x', inherited: {}, plugins: [{ record: {} }], jobs: [] }));
    expect(await readClosedSnapshot(dataDir)).toBeUndefined();
    await rm(file);
    const elsewhere = join(dataDir, 'elsewhere.json');
    await writeFile(elsewhere, JSON.stringify({ version: 1, closedAt: 'x', inherited: {}, plugins: [], jobs: [] }));
    await symlink(elsewhere, file);
    expect(await readClosedSnapshot(dataDir)).toBeUndefined();
  });
});

describe('the configuration of the next runtime', () => {
  it('is none when its jobs would live in a fleet PostgreSQL, where workers change them', () => {
    expect(nextRuntimeConfig(dataDir, {}, {})).toBeDefined();
    expect(nextRuntimeConfig(dataDir, { POSTGRES_URL: 'postgres://127.0.0.1:5432/agents' }, {})).toBeUndefined();
    expect(nextRuntimeConfig(dataDir, { PLUGIN_DYNAMIC_ISOLATION: 'sometimes' }, {})).toBeUndefined();
  });
});
