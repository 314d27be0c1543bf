import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { SparePool } from '../../../src/creation/spare/spare-pool.js';
import { processAlive } from '../../../src/shared/process-alive.js';

/** The pool's idle lifetime, with real bubblewrap and real workers: a spare no job takes is retired and replaced. */
describe('the warm spare pool', () => {
  let root: string | undefined;
  let pool: SparePool | undefined;
  afterAll(async () => {
    await pool?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('retires a spare that waited its idle lifetime and starts a new one in its place', async () => {
    root = await mkdtemp(join(tmpdir(), 'pd-spare-pool-'));
    const dataDir = join(root, 'data');
    const lines: string[] = [];
    pool = new SparePool(loadConfig((key) => ({ PLUGIN_DYNAMIC_DATA_DIR: dataDir })[key]), {
      idleMs: 1_500,
      practise: false,
      log: (_level, message) => lines.push(message),
    });
    pool.start();
    await pool.started();
    const first = pool.waitingSpare();
    expect(first?.pids.check).toBeGreaterThan(0);
    const next = await vi.waitFor(
      () => {
        const waiting = pool?.waitingSpare();
        if (!waiting || waiting.id === first?.id) throw new Error('not replaced yet');
        return waiting;
      },
      { timeout: 60_000, interval: 100 },
    );
    expect(next.pids.check).not.toBe(first?.pids.check);
    await vi.waitFor(() => expect([processAlive(first!.pids.check!), processAlive(first!.pids.test!)]).toEqual([false, false]), { timeout: 10_000 });
    expect(existsSync(first!.workspaceDir)).toBe(false);
    expect(lines).toContainEqual(expect.stringContaining('idle lifetime'));
  }, 90_000);
});
