import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../shared/atomic-file.js';

/** What an isolated plugin spends: counted per plugin, never per host life. */
export const BUDGET_KINDS = ['modelCalls', 'forwardedCalls', 'restarts'] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** One bound: at most `limit` uses in any fixed window of `windowMs`, starting at its first use. */
export interface BudgetWindow {
  limit: number;
  windowMs: number;
}

export type BudgetLimits = Record<BudgetKind, BudgetWindow[]>;

/** A plugin's own hourly bound of a kind (its declared model calls per hour), under the agent's; undefined: the agent's alone. */
export type HourlyCap = (packageName: string, kind: BudgetKind) => number | undefined;

const UsageSchema = z.object({ start: z.number().int().nonnegative(), used: z.number().int().nonnegative() });
const StoredSchema = z.object({ version: z.literal(1), windows: z.record(z.string().max(100), UsageSchema) });
type Usage = z.infer<typeof UsageSchema>;

/** A budget was used up: which, and when its window opens again. */
export interface BudgetRefusal {
  kind: BudgetKind;
  limit: number;
  windowMs: number;
  resetsAt: number;
}

/**
 * The budgets of every isolated plugin, kept by the agent (not by the host, so a host that crashes
 * itself on purpose gets no fresh allowance). Each plugin's counts live in one small JSON file under
 * the data folder, written atomically after each change (writes coalesced, in order), so the daily
 * windows also survive an agent restart.
 */
export class PluginBudgets {
  private readonly usage = new Map<string, Map<string, Usage>>();
  private readonly loading = new Map<string, Promise<Map<string, Usage>>>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly limits: BudgetLimits,
    private readonly onWriteError: (packageName: string, error: unknown) => void = () => undefined,
    private readonly hourlyCap: HourlyCap = () => undefined,
  ) {}

  /** Reads the plugin's stored counts (before its first activation in this agent process). */
  async open(packageName: string): Promise<void> {
    if (this.usage.has(packageName)) return;
    let pending = this.loading.get(packageName);
    if (!pending) {
      pending = this.read(packageName);
      this.loading.set(packageName, pending);
    }
    const windows = await pending;
    this.loading.delete(packageName);
    if (!this.usage.has(packageName)) this.usage.set(packageName, windows);
  }

  /** The windows of `kind` for this plugin: the agent's, the hourly one lowered to the plugin's own cap. */
  private limitsOf(packageName: string, kind: BudgetKind): BudgetWindow[] {
    const cap = this.hourlyCap(packageName, kind);
    if (cap === undefined) return this.limits[kind];
    return this.limits[kind].map((w) => (w.windowMs === HOUR_MS ? { ...w, limit: Math.min(w.limit, cap) } : w));
  }

  /** Spends one use of `kind`; the refusal when any of its windows is used up (nothing is spent then). */
  take(packageName: string, kind: BudgetKind, now = Date.now()): BudgetRefusal | undefined {
    const windows = this.windowsOf(packageName);
    const current = this.limitsOf(packageName, kind).map((w) => {
      const key = `${kind}:${w.windowMs}`;
      const stored = windows.get(key);
      const usage = stored && now - stored.start < w.windowMs ? stored : { start: now, used: 0 };
      return { key, w, usage };
    });
    const full = current.find((c) => c.usage.used >= c.w.limit);
    if (full) return { kind, limit: full.w.limit, windowMs: full.w.windowMs, resetsAt: full.usage.start + full.w.windowMs };
    for (const c of current) windows.set(c.key, { start: c.usage.start, used: c.usage.used + 1 });
    this.save(packageName);
    return undefined;
  }

  /** Uses of `kind` in its shortest current window (for status and tests). */
  used(packageName: string, kind: BudgetKind, now = Date.now()): number {
    const shortest = [...this.limits[kind]].sort((a, b) => a.windowMs - b.windowMs)[0];
    if (!shortest) return 0;
    const stored = this.windowsOf(packageName).get(`${kind}:${shortest.windowMs}`);
    return stored && now - stored.start < shortest.windowMs ? stored.used : 0;
  }

  /** Forgets the plugin's counts and its file (on uninstall). */
  async remove(packageName: string): Promise<void> {
    await this.writes.get(packageName);
    this.usage.delete(packageName);
    this.dirty.delete(packageName);
    await writeFileAtomic(this.fileOf(packageName), JSON.stringify({ version: 1, windows: {} }), { mode: 0o600 });
  }

  /** Resolves when every pending write has landed. */
  async flush(): Promise<void> {
    await Promise.all([...this.writes.values()]);
  }

  private windowsOf(packageName: string): Map<string, Usage> {
    let windows = this.usage.get(packageName);
    if (!windows) {
      windows = new Map();
      this.usage.set(packageName, windows);
    }
    return windows;
  }

  private fileOf(packageName: string): string {
    return join(this.dir, `${packageName.replace(/^@/, '').replace(/\//g, '__')}.json`);
  }

  private async read(packageName: string): Promise<Map<string, Usage>> {
    try {
      const parsed = StoredSchema.safeParse(JSON.parse(await readFile(this.fileOf(packageName), 'utf8')));
      return new Map(parsed.success ? Object.entries(parsed.data.windows) : []);
    } catch {
      return new Map();
    }
  }

  /** One write in flight per plugin; changes made meanwhile go in the next one. */
  private save(packageName: string): void {
    if (this.dirty.has(packageName)) return;
    this.dirty.add(packageName);
    const previous = this.writes.get(packageName) ?? Promise.resolve();
    const next = previous.then(async () => {
      this.dirty.delete(packageName);
      const windows = Object.fromEntries(this.usage.get(packageName) ?? []);
      await writeFileAtomic(this.fileOf(packageName), JSON.stringify({ version: 1, windows }), { mode: 0o600 });
    }).catch((error: unknown) => this.onWriteError(packageName, error));
    this.writes.set(packageName, next);
    void next.then(() => {
      if (this.writes.get(packageName) === next) this.writes.delete(packageName);
    });
  }
}
