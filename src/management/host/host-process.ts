import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { agentNodeModules } from '../../shared/npm/agent-packages.js';
import { scrubbedEnv } from '../../shared/process-runner.js';
import { openResourceGroup, type GroupBounds, type ResourceGroup, type Sandbox, type SandboxPolicy } from '../../shared/sandbox/index.js';
import { hostNodePath } from './node-path.js';

/** worker/ ships beside src/ and dist/; the sandbox lets the host read it. */
export const HOST_WORKER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'worker');
const HOST_SCRIPT = join(HOST_WORKER_DIR, 'plugin-host.mjs');

/** What one isolated plugin's process may touch and use. */
export interface HostProcessOptions {
  pluginName: string;
  /** The plugin's installed folder: readable, never writable. */
  installDir: string;
  /** The plugin's private data folder: its only writable place and its HOME. */
  dataFolder: string;
  /**
   * The data folder's link to the host's node_modules, where Node's parent-folder lookup finds the
   * packages published plugins import without declaring them (zod, which core brings). Bound
   * read-only at its own path, so the plugin resolves them in the host as it would in-process.
   */
  parentModules?: string;
  sandbox: Sandbox;
  bounds: GroupBounds;
  /** Bytes of stdout plus stderr the host may print within a minute before it is stopped. */
  outputCapBytes: number;
  /**
   * The unix socket of the egress proxy that passes only the plugin's declared hosts, bound into the
   * sandbox. Absent: the host has no network at all (its network namespace has only loopback).
   */
  egressSocket?: string;
  /**
   * A warm host's own empty folder, bound read-only: the egress proxy of the plugin it is given is
   * started at hand-off with its socket in here (only when that plugin declares hosts).
   */
  egressFolder?: string;
}

/** A started host process with its channel, its control group and why it stopped (if it did). */
export interface HostProcess {
  child: ChildProcess;
  channel: Duplex;
  group: ResourceGroup | undefined;
  /** Last lines of stderr, for the reason a host died. */
  stderrTail(): string;
  /** Set when the host went past its output cap. */
  outputCapHit(): boolean;
  /** Kills the whole process group and control group. Idempotent. */
  kill(): Promise<void>;
}

/** Packages the worker scripts import: birpc always, zod in a warm host, the proxy clients when a plugin has network. */
const WORKER_PACKAGES = ['birpc', 'zod', 'undici', 'http-proxy-agent', 'https-proxy-agent'];

/**
 * The node_modules folders the worker's packages resolve from (with what they depend on, hoisted
 * beside them), as the worker itself would resolve them.
 */
export function workerPackageFolders(): string[] {
  const require = createRequire(join(HOST_WORKER_DIR, 'plugin-host.mjs'));
  const folders = new Set<string>();
  for (const name of WORKER_PACKAGES) {
    try {
      const resolved = require.resolve(name);
      const at = resolved.lastIndexOf(`${sep}node_modules${sep}`);
      if (at >= 0) folders.add(resolved.slice(0, at + `${sep}node_modules`.length));
    } catch {
      // Not installed: the worker's import names it when it fails.
    }
  }
  return [...folders];
}

/**
 * The sandbox policy of a plugin host: the same bubblewrap walls as creation jobs (read-only root,
 * private /tmp, scrubbed env), its own folder read-only, its data folder the one writable place,
 * no network but the egress proxy's socket, no home, no agent data folder and no key file (none of
 * them is bound).
 */
export function hostSandboxPolicy(opts: Pick<HostProcessOptions, 'installDir' | 'dataFolder' | 'egressSocket' | 'egressFolder' | 'parentModules'>): SandboxPolicy {
  return {
    writable: [opts.dataFolder],
    // The egress socket, when there is one, is the only way out of the host's network namespace.
    readOnly: [
      opts.installDir,
      agentNodeModules(),
      ...(opts.parentModules ? [opts.parentModules] : []),
      HOST_WORKER_DIR,
      ...workerPackageFolders(),
      ...(opts.egressSocket ? [opts.egressSocket] : []),
      ...(opts.egressFolder ? [opts.egressFolder] : []),
    ],
    network: false,
    limits: { fileBytes: 64 * 1024 * 1024, openFiles: 1024, tmpBytes: 32 * 1024 * 1024 },
  };
}

export async function startHostProcess(opts: HostProcessOptions, signal?: AbortSignal): Promise<HostProcess> {
  const node = await hostNodePath(signal);
  const heapMb = Math.max(32, Math.floor((opts.bounds.memoryBytes / 1024 / 1024) * 0.75));
  const slug = opts.pluginName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  const group = opts.sandbox.kind === 'none' ? undefined : openResourceGroup(`host-${slug}-${randomBytes(3).toString('hex')}`, opts.bounds);
  const base = {
    command: node,
    args: [`--max-old-space-size=${heapMb}`, HOST_SCRIPT],
    cwd: opts.dataFolder,
    env: scrubbedEnv(opts.dataFolder, {
      TMPDIR: opts.sandbox.kind === 'none' ? opts.dataFolder : '/tmp',
      NODE_ENV: 'production',
      // The agent is trusted: what it sends (a large state) may be bigger than what the host may send.
      PLUGIN_HOST_MAX_FRAME_BYTES: String(64 * 1024 * 1024),
    }),
  };
  const sandboxed = opts.sandbox.wrap(base, hostSandboxPolicy(opts));
  const spec = group ? group.wrap(sandboxed) : sandboxed;
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const channel = child.stdio[3] as Duplex;
  let printed = 0;
  let windowStart = Date.now();
  let capHit = false;
  let tail = '';
  const count = (chunk: Buffer, keep: boolean): void => {
    // A plugin that logs steadily is fine; a flood is not. The count starts again every minute.
    if (Date.now() - windowStart > 60_000) {
      windowStart = Date.now();
      printed = 0;
    }
    printed += chunk.length;
    if (keep) tail = (tail + chunk.toString('utf8')).slice(-4_000);
    if (printed > opts.outputCapBytes && !capHit) {
      capHit = true;
      void kill();
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => count(chunk, false));
  child.stderr?.on('data', (chunk: Buffer) => count(chunk, true));
  child.on('error', () => undefined);
  channel.on('error', () => undefined);

  let killing: Promise<void> | undefined;
  const kill = (): Promise<void> => {
    killing ??= (async () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      channel.destroy();
      // Killing is fire-and-forget in places: it must never reject.
      await group?.dispose().catch(() => undefined);
    })();
    return killing;
  };
  return { child, channel, group, stderrTail: () => tail, outputCapHit: () => capHit, kill };
}
