import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, PluginBudgets, type BudgetLimits } from '../../../../src/management/host/plugin-budgets.js';

const LIMITS: BudgetLimits = {
  modelCalls: [
    { limit: 3, windowMs: HOUR_MS },
    { limit: 5, windowMs: DAY_MS },
  ],
  forwardedCalls: [{ limit: 100, windowMs: 60_000 }],
  restarts: [{ limit: 2, windowMs: DAY_MS }],
};

describe('per-plugin budgets', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-budgets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses past the limit of the shortest window, naming when it opens again', async () => {
    const budgets = new PluginBudgets(dir, LIMITS);
    await budgets.open('plugin-a');
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(budgets.take('plugin-a', 'modelCalls', t0 + i)).toBeUndefined();
    expect(budgets.take('plugin-a', 'modelCalls', t0 + 10)).toEqual({ kind: 'modelCalls', limit: 3, windowMs: HOUR_MS, resetsAt: t0 + HOUR_MS });
    // Another plugin has its own budget.
    expect(budgets.take('plugin-b', 'modelCalls', t0)).toBeUndefined();
  });

  it('a new hour window opens, the day window still holds', async () => {
    const budgets = new PluginBudgets(dir, LIMITS);
    await budgets.open('plugin-a');
    const t0 = 5_000_000;
    for (let i = 0; i < 3; i++) budgets.take('plugin-a', 'modelCalls', t0);
    const later = t0 + HOUR_MS + 1;
    expect(budgets.take('plugin-a', 'modelCalls', later)).toBeUndefined();
    expect(budgets.take('plugin-a', 'modelCalls', later)).toBeUndefined();
    expect(budgets.take('plugin-a', 'modelCalls', later)?.windowMs).toBe(DAY_MS);
  });

  it('survives an agent restart: a new instance reads the counts back from its atomic file', async () => {
    const first = new PluginBudgets(dir, LIMITS);
    await first.open('@scope/plugin-a');
    const now = Date.now();
    expect(first.take('@scope/plugin-a', 'restarts', now)).toBeUndefined();
    expect(first.take('@scope/plugin-a', 'restarts', now)).toBeUndefined();
    await first.flush();
    const stored = JSON.parse(await readFile(join(dir, 'scope__plugin-a.json'), 'utf8')) as { version: number };
    expect(stored.version).toBe(1);

    const second = new PluginBudgets(dir, LIMITS);
    await second.open('@scope/plugin-a');
    expect(second.used('@scope/plugin-a', 'restarts', now)).toBe(2);
    expect(second.take('@scope/plugin-a', 'restarts', now)?.kind).toBe('restarts');
  });

  it('a damaged file starts the counts afresh rather than failing the plugin', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'plugin-a.json'), '{"version":1,"windows":{"modelCalls:3600000":{"start":"x"}}}');
    const budgets = new PluginBudgets(dir, LIMITS);
    await budgets.open('plugin-a');
    expect(budgets.used('plugin-a', 'modelCalls')).toBe(0);
  });

  it('remove forgets the counts', async () => {
    const budgets = new PluginBudgets(dir, LIMITS);
    await budgets.open('plugin-a');
    budgets.take('plugin-a', 'restarts');
    await budgets.remove('plugin-a');
    const again = new PluginBudgets(dir, LIMITS);
    await again.open('plugin-a');
    expect(again.used('plugin-a', 'restarts')).toBe(0);
  });

  it("holds a plugin's model calls to its own hourly cap when that is lower than the agent's, never higher", async () => {
    const caps: Record<string, number> = { 'plugin-low': 1, 'plugin-high': 100 };
    const budgets = new PluginBudgets(dir, LIMITS, undefined, (plugin, kind) => (kind === 'modelCalls' ? caps[plugin] : undefined));
    const t0 = 2_000_000;
    expect(budgets.take('plugin-low', 'modelCalls', t0)).toBeUndefined();
    expect(budgets.take('plugin-low', 'modelCalls', t0 + 1)).toMatchObject({ limit: 1, windowMs: HOUR_MS });
    for (let i = 0; i < 3; i++) expect(budgets.take('plugin-high', 'modelCalls', t0 + i)).toBeUndefined();
    expect(budgets.take('plugin-high', 'modelCalls', t0 + 10)).toMatchObject({ limit: 3, windowMs: HOUR_MS });
    await budgets.flush();
  });
});
