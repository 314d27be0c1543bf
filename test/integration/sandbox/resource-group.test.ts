import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, scrubbedEnv } from '../../../src/shared/process-runner.js';
import { bwrapSandbox, openResourceGroup, sweepResourceGroups, type ResourceGroup } from '../../../src/shared/sandbox/index.js';

const MB = 1024 * 1024;

describe('a control group per job bounds memory and processes of everything the job starts', () => {
  let workspace: string;
  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'pd-group-ws-'));
  });
  afterAll(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  const runIn = (group: ResourceGroup, code: string, timeoutMs = 30_000) =>
    runProcess(
      group.wrap(
        bwrapSandbox.wrap(
          { command: process.execPath, args: ['-e', code], cwd: workspace, env: scrubbedEnv(workspace), timeoutMs },
          { writable: [workspace], readOnly: [], network: false },
        ),
      ),
    );

  it('is available on this machine (CI installs cgroup-tools and runs as root)', () => {
    const group = openResourceGroup('availability', { memoryBytes: 256 * MB, maxProcesses: 64 });
    expect(group?.kind).toMatch(/^cgroup-v[12]$/);
    return group?.dispose();
  });

  it('stops unbounded allocation at the memory limit and names it', async () => {
    const group = openResourceGroup('memory', { memoryBytes: 200 * MB, maxProcesses: 64 });
    if (!group) throw new Error('control groups unavailable');
    try {
      const r = await runIn(group, 'const keep = []; for (;;) keep.push(Buffer.alloc(8 * 1024 * 1024, 1));');
      expect(r.ok).toBe(false);
      expect(r.timedOut).toBe(false);
      expect(group.takeBoundsHit()).toEqual(['the memory limit (200 MB)']);
      // Read once: the next step does not inherit the report.
      expect(group.takeBoundsHit()).toEqual([]);
    } finally {
      await group.dispose();
    }
  });

  it('refuses a fork bomb past the process-count limit, and the host keeps forking', async () => {
    const group = openResourceGroup('forkbomb', { memoryBytes: 1024 * MB, maxProcesses: 40 });
    if (!group) throw new Error('control groups unavailable');
    try {
      const bomb = `
        const { spawn } = require('child_process');
        let refused = 0;
        const grow = () => { for (let i = 0; i < 8; i++) { const c = spawn('/bin/sleep', ['30']); c.on('error', () => { refused++; }); } };
        grow(); grow(); grow(); grow(); grow(); grow();
        setTimeout(() => { console.log('refused=' + refused); process.exit(refused > 0 ? 3 : 0); }, 1500);`;
      const r = await runIn(group, bomb);
      expect(r.stdout).toMatch(/refused=[1-9]/);
      expect(group.takeBoundsHit()).toEqual(['the process-count limit (40)']);
      const host = await runProcess({ command: '/bin/true', args: [], cwd: workspace, env: scrubbedEnv(workspace) });
      expect(host.ok).toBe(true);
    } finally {
      await group.dispose();
    }
  });

  it('leaves nothing behind: dispose kills what is left and removes the group', async () => {
    const group = openResourceGroup('leftovers', { memoryBytes: 256 * MB, maxProcesses: 64 });
    if (!group) throw new Error('control groups unavailable');
    const running = runIn(group, 'setInterval(() => {}, 1000)', 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const dirs = ['/sys/fs/cgroup/pids', '/sys/fs/cgroup/memory', '/sys/fs/cgroup'].filter((d) => existsSync(d));
    await group.dispose();
    const r = await running;
    expect(r.ok).toBe(false);
    expect(r.timedOut).toBe(false);
    const leftovers = dirs.flatMap((d) => {
      try {
        return readdirSync(join(d, 'plugin-dynamic')).filter((name) => name.endsWith('-leftovers'));
      } catch {
        return [];
      }
    });
    expect(leftovers).toEqual([]);
    expect(await sweepResourceGroups()).toBeGreaterThanOrEqual(0);
  });
});
