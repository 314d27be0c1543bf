import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IAgentRuntime } from '@elizaos/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installedDigest } from '../../../../src/management/permissions/approval-digest.js';
import { PluginApprovals } from '../../../../src/management/permissions/approval-gate.js';
import { isWithin } from '../../../../src/management/permissions/approval-request.js';
import { APPROVALS_KEY, ApprovalStore } from '../../../../src/management/permissions/approval-store.js';
import { LEAST_PERMISSIONS } from '../../../../src/management/permissions/plugin-permissions.js';
import type { PluginRecord } from '../../../../src/management/state/plugin-record.js';

/** The runtime's cache table as the record store uses it (getCache/setCache), and a logger that keeps lines. */
function cacheRuntime() {
  const cache = new Map<string, unknown>();
  const logged: string[] = [];
  const log = (_o: unknown, line: string) => void logged.push(line);
  const runtime = {
    getCache: async (key: string) => structuredClone(cache.get(key)),
    setCache: async (key: string, value: unknown) => (cache.set(key, structuredClone(value)), true),
    logger: { info: log, warn: log, error: log, debug: log },
  } as unknown as IAgentRuntime;
  return { runtime, cache, logged };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'approval-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** An install folder as the installer leaves it: its lockfile (with the package's integrity) and the package. */
async function installFolder(name: string, version: string, integrity: string | undefined, permissions?: unknown): Promise<string> {
  const installDir = join(dir, name);
  await mkdir(join(installDir, 'node_modules', name), { recursive: true });
  const entry = { version, resolved: `file:${name}-${version}.tgz`, ...(integrity ? { integrity } : {}) };
  await writeFile(join(installDir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { '': {}, [`node_modules/${name}`]: entry } }));
  const agentConfig = permissions === undefined ? {} : { agentConfig: { permissions } };
  await writeFile(join(installDir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version, main: 'index.js', ...agentConfig }));
  await writeFile(join(installDir, 'node_modules', name, 'index.js'), 'export default {};\n');
  return installDir;
}

function record(name: string, installDir: string, source: PluginRecord['source'] = { kind: 'folder', path: '/src' }): PluginRecord {
  const components = { actions: [], providers: [], evaluators: [], services: [], routes: [], models: [], events: [] };
  const now = new Date().toISOString();
  return { packageName: name, pluginName: name, version: '1.0.0', source, trust: 'user-source', installDir, entry: join(installDir, 'index.js'), status: 'installed', settings: [], components, installedAt: now, updatedAt: now };
}

const SHA_A = 'sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';
const SHA_B = 'sha512-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB==';

describe('the approval store', () => {
  it('keeps one approval per plugin in the database document, read back by a new store (a restart)', async () => {
    const { runtime } = cacheRuntime();
    const store = new ApprovalStore(runtime);
    await store.load();
    const approval = { packageName: 'plugin-a', version: '1.0.0', digest: SHA_A, permissions: LEAST_PERMISSIONS, approvedAt: new Date().toISOString(), channel: 'cli' as const, by: 'ana' };
    await store.put(approval);
    await store.put({ ...approval, version: '1.1.0', digest: SHA_B });
    const again = new ApprovalStore(runtime);
    expect((await again.load()).count).toBe(0);
    expect(again.all()).toEqual([{ ...approval, version: '1.1.0', digest: SHA_B }]);
  });

  it('moves aside a stored record that fails its schema and keeps the others', async () => {
    const { runtime, cache } = cacheRuntime();
    const good = { packageName: 'plugin-a', version: '1.0.0', digest: SHA_A, permissions: LEAST_PERMISSIONS, approvedAt: new Date().toISOString(), channel: 'panel' };
    cache.set(APPROVALS_KEY, { version: 1, records: [good, { ...good, packageName: 'plugin-b', channel: 'a script' }] });
    const store = new ApprovalStore(runtime);
    const corrupt = await store.load();
    expect(corrupt.count).toBe(1);
    expect(corrupt.reasons[0]).toMatch(/channel/);
    expect(store.all().map((a) => a.packageName)).toEqual(['plugin-a']);
  });

  it('refuses to store an approval that is not one (a digest with a shell character)', async () => {
    const store = new ApprovalStore(cacheRuntime().runtime);
    await expect(store.put({ packageName: 'plugin-a', version: '1', digest: 'sha512-$(id)', permissions: LEAST_PERMISSIONS, approvedAt: new Date().toISOString(), channel: 'api' })).rejects.toThrow();
  });
});

describe('the digest an approval is bound to', () => {
  it("is the package's integrity from its install folder's lockfile", async () => {
    const installDir = await installFolder('plugin-a', '1.0.0', SHA_A);
    expect(await installedDigest({ packageName: 'plugin-a', installDir })).toBe(SHA_A);
  });

  it('falls back to a hash of the package files, which changes with their content', async () => {
    const installDir = await installFolder('plugin-a', '1.0.0', undefined);
    const first = await installedDigest({ packageName: 'plugin-a', installDir });
    expect(first).toMatch(/^tree-sha256-[0-9a-f]{64}$/);
    await writeFile(join(installDir, 'node_modules', 'plugin-a', 'index.js'), 'export default { changed: true };\n');
    expect(await installedDigest({ packageName: 'plugin-a', installDir })).not.toBe(first);
  });
});

describe('the approval gate', () => {
  it('refuses the first activation with the request, and passes once approved for that digest', async () => {
    const { runtime } = cacheRuntime();
    const gate = new PluginApprovals(runtime);
    await gate.load();
    const r = record('plugin-a', await installFolder('plugin-a', '1.0.0', SHA_A, { network: ['API.example.com'], postToRooms: true }));
    const refused = await gate.require(r).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'APPROVAL_REQUIRED', details: { request: { packageName: 'plugin-a', digest: SHA_A, reason: 'first', diff: [] } } });
    expect((refused as Error).message).toContain('reach api.example.com');
    expect((refused as Error).message).toContain('post messages to rooms');
    expect((refused as Error).message).toMatch(/plugin-dynamic approve plugin-a --activate, Allow in the Plugin Hub panel, or "yes, allow plugin-a" in chat/);
    expect(gate.pendingRequests().map((p) => p.packageName)).toEqual(['plugin-a']);

    const stored = await gate.approve('plugin-a', r, { channel: 'panel', digest: SHA_A });
    expect(stored).toMatchObject({ digest: SHA_A, channel: 'panel', permissions: { network: ['api.example.com'], postToRooms: true } });
    expect(await gate.require(r)).toEqual(stored.permissions);
    expect(gate.approvedPermissions('plugin-a')).toEqual(stored.permissions);
    expect(gate.pendingRequests()).toEqual([]);
  });

  it('asks again when the content digest changes, and with the diff when the permissions change', async () => {
    const { runtime } = cacheRuntime();
    const gate = new PluginApprovals(runtime);
    const installDir = await installFolder('plugin-a', '1.0.0', SHA_A, { network: ['a.example.com'] });
    await gate.approve('plugin-a', record('plugin-a', installDir), { channel: 'cli' });

    await installFolder('plugin-a', '1.0.1', SHA_B, { network: ['a.example.com'] });
    await expect(gate.require(record('plugin-a', installDir))).rejects.toMatchObject({
      code: 'APPROVAL_REQUIRED',
      details: { request: { reason: 'content', diff: [], previous: { version: '1.0.0', digest: SHA_A } } },
    });

    await installFolder('plugin-a', '2.0.0', SHA_B, { network: ['a.example.com', 'b.example.com'], modelCallsPerHour: 10 });
    const widened = (await gate.require(record('plugin-a', installDir)).catch((e: unknown) => e)) as Error & { details: { request: { diff: string[] } } };
    expect(widened.details.request.diff).toEqual(['+ network: b.example.com', '~ model calls per hour: 0 → 10']);
    expect(widened.message).toContain('Changed: + network: b.example.com; ~ model calls per hour: 0 → 10.');
  });

  it('refuses an approval given for a digest that is no longer installed', async () => {
    const { runtime } = cacheRuntime();
    const gate = new PluginApprovals(runtime);
    const installDir = await installFolder('plugin-a', '1.0.0', SHA_B);
    await expect(gate.approve('plugin-a', record('plugin-a', installDir), { channel: 'api', digest: SHA_A })).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    expect(gate.store.get('plugin-a')).toBeUndefined();
  });

  it("takes a creation job's request as the approval, but a replace that widens needs a person", async () => {
    const { runtime } = cacheRuntime();
    const gate = new PluginApprovals(runtime);
    const installDir = await installFolder('plugin-made', '1.0.0', SHA_A, { network: ['a.example.com'] });
    const made = record('plugin-made', installDir, { kind: 'generated', jobId: 'job-1' });
    expect(await gate.require(made)).toMatchObject({ network: ['a.example.com'] });
    expect(gate.store.get('plugin-made')).toMatchObject({ channel: 'creation', by: 'job job-1', digest: SHA_A });

    // Narrower on replace: still the user's request.
    await installFolder('plugin-made', '1.0.0', SHA_B, {});
    const narrower = { ...made, source: { kind: 'generated' as const, jobId: 'job-2' } };
    expect(await gate.require(narrower)).toMatchObject({ network: [] });

    // Wider on replace: refused with the diff; approving the waiting request covers the next job.
    await installFolder('plugin-made', '1.0.0', SHA_A, { network: ['b.example.com'] });
    await expect(gate.require({ ...made, source: { kind: 'generated', jobId: 'job-3' } })).rejects.toMatchObject({
      code: 'APPROVAL_REQUIRED',
      details: { request: { reason: 'permissions', diff: ['+ network: b.example.com'] } },
    });
    await gate.approve('plugin-made', undefined, { channel: 'chat', by: 'entity-1' });
    expect(gate.store.get('plugin-made')).toMatchObject({ channel: 'chat', permissions: { network: ['b.example.com'] } });
  });
});

describe('isWithin', () => {
  it('is true for a narrower or equal set only', () => {
    const wide = { ...LEAST_PERMISSIONS, network: ['a.example.com', 'b.example.com'], modelCallsPerHour: 5, postToRooms: true };
    expect(isWithin(LEAST_PERMISSIONS, wide)).toBe(true);
    expect(isWithin(wide, wide)).toBe(true);
    expect(isWithin({ ...wide, modelCallsPerHour: 6 }, wide)).toBe(false);
    expect(isWithin({ ...LEAST_PERMISSIONS, postToRooms: true }, LEAST_PERMISSIONS)).toBe(false);
    expect(isWithin({ ...LEAST_PERMISSIONS, routes: ['GET /x'] }, wide)).toBe(false);
  });
});
