import { existsSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { codedError } from '../../errors.js';
import { runProcess, type ProcessSpec } from '../process-runner.js';

/** What a sandboxed command may touch. */
export interface SandboxPolicy {
  /** Folders it may write (normally only the job's workspace). */
  writable: string[];
  /** Extra folders it may read (the shared toolchain, the host's node_modules, the checker script). */
  readOnly: string[];
  /** Only a dependency install may reach the network. */
  network: boolean;
  /** Files bound read-only over paths inside the writable folders (a job's configuration). */
  readOnlyFiles?: { source: string; target: string }[];
  /** Per-process bounds set with prlimit inside the sandbox (wall time and output are the runner's). */
  limits?: { cpuSeconds?: number; fileBytes?: number; openFiles?: number; tmpBytes?: number };
}

/** The PLUGIN_DYNAMIC_SANDBOX setting: `auto` and `bwrap` need a working bubblewrap; `none` runs unsandboxed. */
export const SANDBOX_SETTINGS = ['auto', 'bwrap', 'none'] as const;
export type SandboxSetting = (typeof SANDBOX_SETTINGS)[number];

export interface Sandbox {
  readonly kind: 'bwrap' | 'none';
  wrap(spec: ProcessSpec, policy: SandboxPolicy): ProcessSpec;
}

/** System folders a Node tool needs to start; /root, /home, the data folder and the rest stay unseen. */
const SYSTEM_READ_ONLY = ['/usr', '/bin', '/lib', '/lib64', '/sbin', '/etc/ssl', '/etc/ca-certificates', '/etc/hosts', '/etc/localtime'];

/**
 * bubblewrap: new user, PID, network, IPC and UTS namespaces; the system read-only; only the
 * writable folders bound read-write; a private /tmp; the environment replaced by exactly the one
 * given; the whole tree dies with its parent, so nothing it started outlives the job.
 */
export const bwrapSandbox: Sandbox = {
  kind: 'bwrap',
  wrap(spec, policy) {
    const args = ['--unshare-all', ...(policy.network ? ['--share-net'] : []), '--die-with-parent', '--new-session', '--hostname', 'sandbox'];
    for (const path of SYSTEM_READ_ONLY) args.push('--ro-bind-try', path, path);
    // The private /tmp is memory: sized, so filling it is a bounded failure, not the host's problem.
    args.push('--size', String(policy.limits?.tmpBytes ?? 64 * 1024 * 1024), '--tmpfs', '/tmp', '--proc', '/proc', '--dev', '/dev');
    // The program itself (the child Node, found by child-node.ts) when it lives outside the system
    // folders (nvm, /opt, even /tmp): its folder read-only, bound after the private /tmp so that
    // cannot hide it.
    const programDir = isAbsolute(spec.command) ? dirname(spec.command) : undefined;
    if (programDir && !SYSTEM_READ_ONLY.some((dir) => programDir === dir || programDir.startsWith(`${dir}/`))) {
      args.push('--ro-bind', programDir, programDir);
    }
    for (const path of policy.readOnly) if (existsSync(path)) args.push('--ro-bind', path, path);
    for (const path of policy.writable) args.push('--bind', path, path);
    for (const file of policy.readOnlyFiles ?? []) args.push('--ro-bind', file.source, file.target);
    // The root bwrap builds (with the folders it made to mount the binds on) becomes read-only:
    // only the writable binds and the private /tmp take writes.
    args.push('--remount-ro', '/');
    args.push('--chdir', spec.cwd, '--clearenv');
    for (const [key, value] of Object.entries(spec.env)) args.push('--setenv', key, value);
    const limits = policy.limits ?? {};
    const prlimit = [
      ...(limits.cpuSeconds ? [`--cpu=${limits.cpuSeconds}`] : []),
      ...(limits.fileBytes ? [`--fsize=${limits.fileBytes}`] : []),
      ...(limits.openFiles ? [`--nofile=${limits.openFiles}`] : []),
    ];
    // prlimit (util-linux) sets the bounds on the tool itself; its children inherit them.
    if (prlimit.length > 0 && existsSync('/usr/bin/prlimit')) args.push('--', '/usr/bin/prlimit', ...prlimit, '--', spec.command, ...spec.args);
    else args.push('--', spec.command, ...spec.args);
    return { ...spec, command: 'bwrap', args, env: { PATH: spec.env['PATH'] ?? '/usr/bin:/bin' } };
  },
};

/** Runs generated code without isolation: only when the user asked for it explicitly. */
export const noSandbox: Sandbox = { kind: 'none', wrap: (spec) => spec };

let probe: Promise<boolean> | undefined;

/** True when bubblewrap can create its namespaces here (it is installed and user namespaces work). */
export function bwrapWorks(): Promise<boolean> {
  probe ??= runProcess({
    command: 'bwrap',
    args: ['--unshare-all', '--die-with-parent', '--ro-bind', '/usr', '/usr', '--ro-bind-try', '/bin', '/bin', '--ro-bind-try', '/lib', '/lib', '--ro-bind-try', '/lib64', '/lib64', '--', '/bin/true'],
    cwd: '/',
    env: { PATH: '/usr/bin:/bin' },
    timeoutMs: 10_000,
  }).then(
    (r) => r.ok,
    () => false,
  );
  return probe;
}

/**
 * The sandbox a job runs in. `auto` and `bwrap` need a working bubblewrap: without one, generated
 * code is not run at all, and the refusal says how to allow running it unsandboxed.
 */
export async function selectSandbox(mode: SandboxSetting, works: () => Promise<boolean> = bwrapWorks): Promise<Sandbox> {
  if (mode === 'none') return noSandbox;
  if (await works()) return bwrapSandbox;
  throw codedError('SANDBOX_UNAVAILABLE', { reason: process.platform });
}

/** Which bound a failed sandboxed run hit, in words for the job report; undefined when none. */
export function sandboxBoundHit(result: { timedOut: boolean; cancelled: boolean; outputLimitHit: boolean; signal: string | null; exitCode: number | null; stderr: string }): string | undefined {
  if (result.timedOut) return 'the wall-time limit';
  if (result.outputLimitHit) return 'the output-size limit';
  if (/EFBIG|file too large/i.test(result.stderr) || result.signal === 'SIGXFSZ') return 'the file-size limit';
  // bwrap reports its child's death by signal as 128 + the signal: 137 for SIGKILL, 152 for SIGXCPU.
  const killed = result.signal === 'SIGXCPU' || result.signal === 'SIGKILL' || result.exitCode === 137 || result.exitCode === 152;
  if (!result.cancelled && killed) return 'the CPU-time limit';
  if (/heap out of memory|ENOMEM/i.test(result.stderr)) return 'the memory limit';
  return undefined;
}
