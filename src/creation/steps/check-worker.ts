import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { PluginDynamicError } from '../../errors.js';
import { scrubbedEnv, type ProcessSpec } from '../../shared/process-runner.js';
import type { Diagnostic } from './diagnostics.js';
import { childNode } from '../../shared/child-node.js';

/** worker/ ships beside src/ and dist/ (a sandbox must let the checker read it). */
export const WORKER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'worker');
const WORKER_SCRIPT = join(WORKER_DIR, 'check-worker.mjs');

export interface WorkerAnswer {
  ok: boolean;
  diagnostics: Diagnostic[];
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
}

interface Pending {
  resolve: (answer: { ok: boolean; diagnostics: Diagnostic[] }) => void;
  reject: (error: Error) => void;
}

/**
 * A long-lived TypeScript + ESLint process for one workspace, so each repair iteration reuses the
 * parsed libraries and the type-aware lint program instead of starting both tools cold. It runs in
 * its own process group (scrubbed environment, cwd = workspace) and is killed as a group on a
 * timeout or cancel; the next request starts a fresh one.
 */
export class CheckWorker {
  private child: ResultPromise | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly workspaceDir: string,
    private readonly wrap?: (spec: ProcessSpec) => ProcessSpec,
  ) {}

  async request(command: 'build' | 'lint', opts: { timeoutMs: number; signal?: AbortSignal }): Promise<WorkerAnswer> {
    opts.signal?.throwIfAborted();
    const started = Date.now();
    const child = this.start((await childNode(opts.signal)).path);
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const answer = await new Promise<{ ok: boolean; diagnostics: Diagnostic[] }>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        timer = setTimeout(() => reject(new PluginDynamicError('PROCESS_TIMEOUT', `${command} ran past its time limit`)), opts.timeoutMs);
        onAbort = () => reject(new PluginDynamicError('JOB_CANCELLED', `${command} was cancelled`));
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        child.stdin?.write(`${JSON.stringify({ id, command })}\n`);
      });
      return { ...answer, durationMs: Date.now() - started, timedOut: false, cancelled: false };
    } catch (error) {
      this.kill();
      const code = (error as { code?: string }).code;
      if (code === 'PROCESS_TIMEOUT' || code === 'JOB_CANCELLED') {
        return { ok: false, diagnostics: [], durationMs: Date.now() - started, timedOut: code === 'PROCESS_TIMEOUT', cancelled: code === 'JOB_CANCELLED' };
      }
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
      this.pending.delete(id);
    }
  }

  /** Ends the worker and everything in its process group. Idempotent. */
  close(): void {
    this.kill();
  }

  private start(node: string): ResultPromise {
    if (this.child) return this.child;
    const home = join(this.workspaceDir, '.home');
    let spec: ProcessSpec = {
      command: node,
      args: ['--max-old-space-size=1536', WORKER_SCRIPT],
      cwd: this.workspaceDir,
      env: scrubbedEnv(home, { NODE_ENV: 'test', TMPDIR: home }),
    };
    if (this.wrap) spec = this.wrap(spec);
    const child = execa(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      extendEnv: false,
      detached: true,
      reject: false,
      buffer: false,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'ignore',
    });
    this.child = child;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let message: { id?: number; ok?: boolean; diagnostics?: Diagnostic[]; error?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) return;
      if (message.error) waiting.reject(new PluginDynamicError('TOOLCHAIN_UNAVAILABLE', `the checker failed: ${message.error.slice(0, 1_000)}`));
      else waiting.resolve({ ok: message.ok === true, diagnostics: message.diagnostics ?? [] });
    });
    void child.then(() => {
      if (this.child === child) this.child = undefined;
      for (const waiting of this.pending.values()) waiting.reject(new PluginDynamicError('TOOLCHAIN_UNAVAILABLE', 'the checker process ended unexpectedly'));
    });
    return child;
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    if (child?.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
