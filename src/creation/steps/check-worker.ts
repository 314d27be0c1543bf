import { join } from 'node:path';
import { codedError } from '../../errors.js';
import { bounded } from '../../shared/bounded.js';
import { scrubbedEnv, startLineProcess, type LineProcess, type ProcessSpec } from '../../shared/process-runner.js';
import type { Diagnostic } from './diagnostics.js';
import { readFixedSources, type FixedSource } from './fixed-sources.js';
import { childNode, type ChildNode } from '../../shared/child-node.js';
import { CHECKER_SNAPSHOT_DIR, usableCheckerSnapshot, WORKER_NODE_FLAGS } from './checker-snapshot.js';
import { WORKER_DIR } from '../../shared/package-paths.js';

/** worker/ ships beside src/ and dist/ (a sandbox must let the checker read it). */
export { WORKER_DIR };
/** The checker (TypeScript and ESLint) and the test runner (Vitest), each a warm process of its own. */
const WORKER_SCRIPTS = { check: join(WORKER_DIR, 'check-worker.mjs'), test: join(WORKER_DIR, 'test-worker.mjs') } as const;
export type WorkerKind = keyof typeof WORKER_SCRIPTS;

export interface WorkerAnswer {
  ok: boolean;
  diagnostics: Diagnostic[];
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** The checker printed a line longer than the output cap and was killed. */
  outputLimitHit: boolean;
  /** Lint: the sources ESLint's fixes changed, as they are now. */
  fixed?: FixedSource[];
}

interface Pending {
  resolve: (answer: { ok: boolean; diagnostics: Diagnostic[]; fixed: FixedSource[] }) => void;
  reject: (error: Error) => void;
}

/**
 * A long-lived tool process for one workspace, so each repair iteration reuses what the tools
 * loaded and parsed instead of starting them cold: `check` keeps TypeScript's program and ESLint
 * (build, lint), `test` keeps Vitest loaded (its own process and sandbox, as the plugin's tests run
 * under it). It runs in its own process group (scrubbed environment, cwd = workspace) and is killed
 * as a group on a timeout or cancel; the next request starts a fresh one.
 */
export class CheckWorker {
  private child: LineProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly endListeners = new Set<() => void>();
  /** Set by close(): no process is started after it. */
  private closed = false;

  /**
   * @param outputCapBytes the most one answer line may hold; the same cap as every other child's
   * output. @default 1_048_576
   */
  constructor(
    private readonly workspaceDir: string,
    private readonly wrap?: (spec: ProcessSpec) => ProcessSpec,
    private readonly outputCapBytes = 1_048_576,
    readonly kind: WorkerKind = 'check',
    /** Where the checker's startup snapshot is looked for (checker-snapshot.ts). */
    private readonly snapshotDir: string = CHECKER_SNAPSHOT_DIR,
  ) {}

  /** `files`: for `test`, these test files alone (workspace-relative) instead of every test. */
  async request(command: 'build' | 'lint' | 'test', opts: { timeoutMs: number; signal?: AbortSignal; files?: readonly string[] }): Promise<WorkerAnswer> {
    opts.signal?.throwIfAborted();
    const started = Date.now();
    const child = this.start(await childNode(opts.signal));
    const id = this.nextId++;
    try {
      const reply = new Promise<{ ok: boolean; diagnostics: Diagnostic[]; fixed: FixedSource[] }>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        child.send(JSON.stringify({ id, command, ...(opts.files?.length ? { files: opts.files } : {}) }));
      });
      const answer = await bounded(reply, {
        ms: opts.timeoutMs,
        onTimeout: () => codedError('PROCESS_TIMEOUT', { process: `The ${command} check` }),
        signal: opts.signal,
      }).catch((error: unknown) => {
        throw opts.signal?.aborted ? codedError('JOB_CANCELLED', { when: `during the ${command} check` }, { cause: opts.signal.reason }) : error;
      });
      return { ...answer, durationMs: Date.now() - started, timedOut: false, cancelled: false, outputLimitHit: false };
    } catch (error) {
      this.kill();
      const code = (error as { code?: string }).code;
      if (code === 'PROCESS_TIMEOUT' || code === 'JOB_CANCELLED' || code === 'PROCESS_OUTPUT_LIMIT') {
        return {
          ok: false,
          diagnostics: [],
          durationMs: Date.now() - started,
          timedOut: code === 'PROCESS_TIMEOUT',
          cancelled: code === 'JOB_CANCELLED',
          outputLimitHit: code === 'PROCESS_OUTPUT_LIMIT',
        };
      }
      throw error;
    } finally {
      this.pending.delete(id);
    }
  }

  /**
   * Starts the process now, before the first request, so its start-up overlaps generation: the
   * checker also parses the libraries and loads ESLint's rules (`warm`). Its answer is not waited
   * for; a request sent meanwhile is answered after it.
   */
  async warm(signal?: AbortSignal): Promise<void> {
    const child = this.start(await childNode(signal));
    if (this.kind !== 'check') return;
    const id = this.nextId++;
    this.pending.set(id, { resolve: () => this.pending.delete(id), reject: () => this.pending.delete(id) });
    child.send(JSON.stringify({ id, command: 'warm' }));
  }

  /** Ends the worker and everything in its process group, for good: a later request is refused. Idempotent. */
  close(): void {
    this.closed = true;
    this.kill();
  }

  /** The running process's id; undefined while none runs (not started yet, or ended). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether a process runs now (started and not ended). */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** Calls `listener` each time a running process ends, whatever ended it; returns how to stop listening. */
  onEnd(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  private start(node: ChildNode): LineProcess {
    if (this.child) return this.child;
    if (this.closed) throw codedError('TOOLCHAIN_UNAVAILABLE', { problem: 'the checker was closed' });
    const home = join(this.workspaceDir, '.home');
    // The checker starts from its snapshot, TypeScript loaded and the libraries parsed, when one was made for this Node.
    const snapshot = this.kind === 'check' ? usableCheckerSnapshot(node, this.snapshotDir) : undefined;
    let spec: ProcessSpec = {
      command: node.path,
      args: [...WORKER_NODE_FLAGS, ...(snapshot ? ['--snapshot-blob', snapshot] : []), WORKER_SCRIPTS[this.kind]],
      cwd: this.workspaceDir,
      env: scrubbedEnv(home, { NODE_ENV: 'test', TMPDIR: home }),
      maxOutputBytes: this.outputCapBytes,
    };
    if (this.wrap) spec = this.wrap(spec);
    // Through the process runner, like every child: its output is capped there, not here.
    const child = startLineProcess(spec, (line) => {
      let message: { id?: number; ok?: boolean; diagnostics?: Diagnostic[]; fixed?: unknown; error?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) return;
      if (message.error) waiting.reject(codedError('TOOLCHAIN_UNAVAILABLE', { problem: `the checker failed: ${message.error.slice(0, 1_000)}` }));
      else waiting.resolve({ ok: message.ok === true, diagnostics: message.diagnostics ?? [], fixed: readFixedSources(message.fixed) });
    });
    this.child = child;
    void child.ended.then(({ outputLimitHit }) => {
      if (this.child === child) this.child = undefined;
      for (const listener of this.endListeners) listener();
      for (const waiting of this.pending.values()) {
        waiting.reject(
          outputLimitHit
            ? codedError('PROCESS_OUTPUT_LIMIT', { process: 'The checker', limit: `${this.outputCapBytes} bytes in one answer` })
            : codedError('TOOLCHAIN_UNAVAILABLE', { problem: 'the checker process ended unexpectedly' }),
        );
      }
    });
    return child;
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill();
  }
}
