import { existsSync, readFileSync, readdirSync, rmdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../process-alive.js';
import type { ProcessSpec } from '../process-runner.js';

/** Bounds shared by every process of one job, however many it starts. */
export interface GroupBounds {
  /** Resident memory of all the job's processes together. */
  memoryBytes: number;
  /** Processes and threads of the job together (a fork bomb stops here). */
  maxProcesses: number;
}

/**
 * A control group (v1 or v2) per job, entered through libcgroup's `cgexec`, so the job's first
 * process is inside the group before it runs and everything it starts inherits the bounds.
 */
export interface ResourceGroup {
  /** How the bounds are enforced, for the job report and doctor. */
  readonly kind: 'cgroup-v1' | 'cgroup-v2';
  readonly bounds: GroupBounds;
  /** Starts the command inside the group. */
  wrap(spec: ProcessSpec): ProcessSpec;
  /** Bounds hit since the last call, in words ("the memory limit (512 MB)"). */
  takeBoundsHit(): string[];
  /** Kills whatever is still in the group and removes it. Idempotent. */
  dispose(): Promise<void>;
}

const ROOT = '/sys/fs/cgroup';
const CGEXEC = '/usr/bin/cgexec';

interface Layout {
  kind: ResourceGroup['kind'];
  /** Folder per controller (v1) or the one unified folder (v2), each for this job. */
  pids: string;
  memory: string;
  /** cgexec's `-g controller:path` arguments. */
  cgexecArgs: string[];
}

/** This process's own group for a controller, so a job's group nests under it and never escapes its limits. */
function ownGroupPath(controller: string | undefined): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, path] = line.split(':');
      if (path === undefined || controllers === undefined) continue;
      if (controller === undefined ? controllers === '' : controllers.split(',').includes(controller)) return path;
    }
  } catch {
    // Not Linux.
  }
  return undefined;
}

function layoutFor(jobName: string): Layout | undefined {
  if (!existsSync(CGEXEC)) return undefined;
  if (existsSync(join(ROOT, 'cgroup.controllers'))) {
    const own = ownGroupPath(undefined) ?? '/';
    const relative = join(own, 'plugin-dynamic', jobName);
    const dir = join(ROOT, relative);
    return { kind: 'cgroup-v2', pids: dir, memory: dir, cgexecArgs: ['-g', `pids,memory:${relative}`] };
  }
  if (existsSync(join(ROOT, 'pids', 'pids.max')) || existsSync(join(ROOT, 'pids'))) {
    const pidsRel = join(ownGroupPath('pids') ?? '/', 'plugin-dynamic', jobName);
    const memoryRel = join(ownGroupPath('memory') ?? '/', 'plugin-dynamic', jobName);
    return {
      kind: 'cgroup-v1',
      pids: join(ROOT, 'pids', pidsRel),
      memory: join(ROOT, 'memory', memoryRel),
      cgexecArgs: ['-g', `pids:${pidsRel}`, '-g', `memory:${memoryRel}`],
    };
  }
  return undefined;
}

function readCounter(file: string, key: string): number {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, value] = line.trim().split(/\s+/);
      if (name === key) return Number(value) || 0;
    }
  } catch {
    // The group is gone or the counter does not exist on this kernel.
  }
  return 0;
}

function groupPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** Enables the pids and memory controllers for children of a v2 folder (no-op when already on). */
function enableV2Controllers(dir: string): void {
  try {
    writeFileSync(join(dir, 'cgroup.subtree_control'), '+pids +memory');
  } catch {
    // Already enabled, or not allowed: creating the job's group then fails and is reported.
  }
}

/**
 * Creates the job's control group with its bounds. Undefined when control groups cannot be used
 * here (not Linux, no cgexec, not allowed to write /sys/fs/cgroup): the caller reports that memory
 * and process-count bounds are not enforced.
 */
export function openResourceGroup(jobName: string, bounds: GroupBounds): ResourceGroup | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(jobName)) throw new Error(`invalid resource group name: ${jobName}`);
  // The owner's pid leads the name, so a sweep only ever touches groups of processes that are gone.
  const layout = layoutFor(`${process.pid}-${jobName}`);
  if (!layout) return undefined;
  try {
    if (layout.kind === 'cgroup-v2') {
      const parent = join(layout.pids, '..');
      mkdirSync(parent, { recursive: true });
      enableV2Controllers(join(parent, '..'));
      enableV2Controllers(parent);
      mkdirSync(layout.pids, { recursive: true });
      writeFileSync(join(layout.memory, 'memory.max'), String(bounds.memoryBytes));
      writeFileSync(join(layout.memory, 'memory.swap.max'), '0');
      writeFileSync(join(layout.pids, 'pids.max'), String(bounds.maxProcesses));
    } else {
      mkdirSync(layout.pids, { recursive: true });
      mkdirSync(layout.memory, { recursive: true });
      writeFileSync(join(layout.memory, 'memory.limit_in_bytes'), String(bounds.memoryBytes));
      if (existsSync(join(layout.memory, 'memory.memsw.limit_in_bytes'))) {
        // Swap counts too, or a job could page its way past the bound.
        try {
          writeFileSync(join(layout.memory, 'memory.memsw.limit_in_bytes'), String(bounds.memoryBytes));
        } catch {
          // No swap accounting on this kernel.
        }
      }
      writeFileSync(join(layout.pids, 'pids.max'), String(bounds.maxProcesses));
    }
  } catch {
    void removeGroup(layout);
    return undefined;
  }

  const eventsFile = layout.kind === 'cgroup-v2' ? join(layout.memory, 'memory.events') : join(layout.memory, 'memory.oom_control');
  const counters = (): { oom: number; forkRefused: number } => ({
    oom: readCounter(eventsFile, 'oom_kill'),
    forkRefused: readCounter(join(layout.pids, 'pids.events'), 'max'),
  });
  let seen = counters();
  let disposed = false;

  return {
    kind: layout.kind,
    bounds,
    wrap: (spec) => ({ ...spec, command: CGEXEC, args: [...layout.cgexecArgs, spec.command, ...spec.args] }),
    takeBoundsHit() {
      const now = counters();
      const hit: string[] = [];
      if (now.oom > seen.oom) hit.push(`the memory limit (${megabytes(bounds.memoryBytes)})`);
      if (now.forkRefused > seen.forkRefused) hit.push(`the process-count limit (${bounds.maxProcesses})`);
      seen = now;
      return hit;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await removeGroup(layout);
    },
  };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILLs every process left in the group (a few rounds, for ones forked meanwhile), then removes it. */
async function removeGroup(layout: Layout): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const pids = [...new Set([...groupPids(layout.pids), ...groupPids(layout.memory)])];
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await pause(25);
  }
  for (const dir of new Set([layout.pids, layout.memory])) {
    for (let attempt = 0; attempt < 20 && existsSync(dir); attempt++) {
      try {
        rmdirSync(dir);
      } catch {
        await pause(25);
      }
    }
  }
}

/** Removes job groups whose owning process is gone (a crash), killing anything left in them. */
export async function sweepResourceGroups(): Promise<number> {
  const probe = layoutFor('probe');
  if (!probe) return 0;
  let swept = 0;
  const parents = [...new Set([join(probe.pids, '..'), join(probe.memory, '..')])];
  const names = new Set<string>();
  for (const parent of parents) {
    try {
      for (const entry of readdirSync(parent, { withFileTypes: true })) if (entry.isDirectory()) names.add(entry.name);
    } catch {
      // No job group was ever made here.
    }
  }
  for (const name of names) {
    const owner = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!owner || processAlive(owner)) continue;
    const layout = layoutFor(name);
    if (!layout) continue;
    await removeGroup(layout);
    swept++;
  }
  return swept;
}
