import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageQuota } from '../../../../src/management/host/storage-quota.js';
import { grantPermissions } from '../../../../src/management/permissions/permission-grants.js';
import { LEAST_PERMISSIONS } from '../../../../src/management/permissions/plugin-permissions.js';

const MB = 1024 * 1024;

describe("an isolated plugin's storage quota and its declared storage", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-quota-declared-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const quotaFor = (declaredMb: number | undefined, agentMb: number) => {
    const cache = new Map<string, unknown>();
    const runtime = {
      getCache: async <T>(key: string) => cache.get(key) as T | undefined,
      setCache: async <T>(key: string, value: T) => Boolean(cache.set(key, value)),
    };
    if (declaredMb !== undefined) grantPermissions(runtime, 'plugin-q', { ...LEAST_PERMISSIONS, storageMb: declaredMb }, { warn: () => undefined });
    return new StorageQuota({ runtime, packageName: 'plugin-q', dataFolder: dir, quotaMb: agentMb, onExceeded: () => undefined });
  };

  it("is the smaller of the declared storageMb and the agent's setting", () => {
    expect(quotaFor(1, 64).quotaMb).toBe(1);
    expect(quotaFor(500, 64).quotaMb).toBe(64);
  });

  it('is nothing for a plugin that declares no storage: its first byte is over', async () => {
    const quota = quotaFor(undefined, 64);
    expect(quota.quotaMb).toBe(0);
    await quota.assertWithin();
    await writeFile(join(dir, 'note.txt'), 'x');
    await expect(quota.assertWithin()).rejects.toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED' });
  });

  it('refuses a cache write past the declared quota before storing it', async () => {
    const quota = quotaFor(1, 64);
    let stored = 0;
    const store = async () => Boolean(++stored);
    await quota.setCache('small', 'x'.repeat(1024), store);
    await expect(quota.setCache('big', 'x'.repeat(2 * MB), store)).rejects.toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED' });
    expect(stored).toBe(1);
  });
});
