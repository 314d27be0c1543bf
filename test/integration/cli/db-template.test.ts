import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedStamp, seedDatabase } from '../../../src/cli/db-template.js';
import { createTestRuntime } from '../../helpers/runtime.js';

/** Every file under `dir` with its sha256, so a template can be shown unchanged. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

describe('the database template a fresh data folder starts from', () => {
  let root: string;
  let template: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pd-db-template-'));
    template = join(root, 'template');
    // The build's own step, run as the build runs it (its own process: one PGLite per process).
    await execa(process.execPath, ['--import', 'tsx', 'src/cli/make-db-template.ts', template], {
      env: { ...process.env, LOG_LEVEL: 'error' },
      timeout: 120_000,
    });
  }, 150_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is stamped with the installed plugin-sql and PGLite', async () => {
    const stamp = JSON.parse(await readFile(join(template, 'stamp.json'), 'utf8')) as unknown;
    expect(stamp).toEqual(await installedStamp());
    expect(await readdir(join(template, 'db'))).toContain('PG_VERSION');
    expect(await readdir(join(template, 'db'))).not.toContain('postmaster.pid');
  });

  it('seeds a fresh folder; the runtime starts on the copy and never writes to the template', async () => {
    const before = await fingerprint(template);
    const dataDir = join(root, 'fresh');
    expect(await seedDatabase(join(dataDir, 'db'), template)).toBe('seeded');
    expect(await readdir(dataDir)).toEqual(['db']);
    const { runtime, cleanup } = await createTestRuntime({ dataDir, agentName: 'SeededAgent' });
    try {
      expect((await runtime.getAgent(runtime.agentId))?.name).toBe('SeededAgent');
      await runtime.setCache('plugin-dynamic:test:seeded', { written: true });
      expect(await runtime.getCache('plugin-dynamic:test:seeded')).toEqual({ written: true });
    } finally {
      await cleanup({ keepData: true });
    }
    expect(await fingerprint(template)).toEqual(before);
  }, 120_000);

  it('leaves a folder that already has a database as it is', async () => {
    const db = join(root, 'existing', 'db');
    await mkdir(db, { recursive: true });
    await writeFile(join(db, 'mine'), 'kept');
    expect(await seedDatabase(db, template)).toBe('existing');
    expect(await readdir(db)).toEqual(['mine']);
  });

  it('does not use a template made by other versions, or one without a readable stamp', async () => {
    const other = join(root, 'other');
    await cp(template, other, { recursive: true });
    await writeFile(join(other, 'stamp.json'), JSON.stringify({ pluginSql: '1.7.2', pglite: '0.0.1' }));
    expect(await seedDatabase(join(root, 'a', 'db'), other)).toBe('other-versions');
    await writeFile(join(other, 'stamp.json'), '{"pluginSql": 1');
    expect(await seedDatabase(join(root, 'b', 'db'), other)).toBe('no-template');
    await rm(join(other, 'stamp.json'));
    expect(await seedDatabase(join(root, 'c', 'db'), other)).toBe('no-template');
    for (const dir of ['a', 'b', 'c']) await expect(readdir(join(root, dir))).rejects.toThrow();
  });
});
