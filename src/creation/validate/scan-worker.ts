import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { codedError, isPluginDynamicError } from '../../errors.js';
import { bounded } from '../../shared/bounded.js';
import { childNode } from '../../shared/child-node.js';
import { WORKER_DIR } from '../../shared/package-paths.js';
import { scrubbedEnv, startLineProcess, type LineProcess } from '../../shared/process-runner.js';
import { bwrapSandbox, bwrapWorks, noSandbox, openResourceGroup, type Sandbox, type SandboxPolicy } from '../../shared/sandbox/index.js';
import type { EmitAnswer } from '../../../worker/scan-worker-protocol.d.mts';
import { emitAnswerOf, parseScanLine, scanAnswerOf } from './scan-answer.js';
import type { Finding } from './static-scan.js';

const SCAN_SCRIPT = join(WORKER_DIR, 'scan-worker.mjs');
/** The scanner's heap: TypeScript's parser and one plugin's syntax trees need a fraction of it. */
const HEAP_MB = 256;
/** The whole scanner (heap, code, buffers), when control groups can be used. */
const SCAN_BOUNDS = { memoryBytes: 512 * 1024 * 1024, maxProcesses: 16 };

/** TypeScript's package folder, as the scanner script resolves it (the one folder it needs beside its own). */
function typescriptFolder(): string {
  return dirname(createRequire(SCAN_SCRIPT).resolve('typescript/package.json'));
}

/**
 * What the scanner may touch: its own script and TypeScript's package, read-only; no network, no
 * writable folder (only the sandbox's private, sized /tmp); a CPU-time backstop for a long-lived process.
 */
export function scanSandboxPolicy(): SandboxPolicy {
  return {
    writable: [],
    readOnly: [WORKER_DIR, typescriptFolder()],
    network: false,
    limits: { cpuSeconds: 600, fileBytes: 1024 * 1024, openFiles: 256, tmpBytes: 1024 * 1024 },
  };
}

interface Pending {
  /** Reads the answer to this request (its line's JSON): undefined when it was taken, else what is wrong with it. */
  take: (value: unknown) => string | undefined;
  reject: (error: Error) => void;
}

export interface ScanWorkerOptions {
  /** The sandbox it runs in. @default bubblewrap when it works here, else none */
  sandbox?: Sandbox;
  /** The most one answer line may hold (an emit's answer holds the whole build). @default 8 MiB */
  outputCapBytes?: number;
}

/** An emit's files (paths relative to the package), or tsc's errors. */
export type Emitted = Omit<Extract<EmitAnswer, { outputs: unknown }>, 'id'>;

/**
 * The static scan in a process of its own on the agent's side (worker/scan-worker.mjs), so the
 * agent never loads the TypeScript compiler. It is trusted as a gate: it runs apart from the job's
 * workers (whose answers are untrusted), gets the sources on its stdin (never reads a workspace),
 * and every answer is checked; one that is malformed, oversized, missing or late fails the scan
 * closed. Kept warm across a job's iterations (`warm` at the pipeline's start); a failure kills it
 * and the next scan starts a fresh one.
 */
export class ScanWorker {
  private child: Promise<LineProcess> | undefined;
  /** Which process is current: lines and ends of one already killed are not this scanner's any more. */
  private generation = 0;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly outputCapBytes: number;
  /** Set by close() and closeWhenIdle(): no request is taken after; the process ends once none is waiting. */
  private closed = false;
  /** Requests asked and not yet settled (a request is in flight before its process has started). */
  private inFlight = 0;

  constructor(private readonly opts: ScanWorkerOptions = {}) {
    this.outputCapBytes = opts.outputCapBytes ?? 8 * 1_048_576;
  }

  /**
   * Starts the process now (it imports TypeScript at once), so the first scan does not wait for it.
   * Never fails: a scanner that cannot start is started again by the scan, which reports why.
   */
  async warm(signal?: AbortSignal): Promise<void> {
    await this.start(signal).catch(() => undefined);
  }

  /** The findings in the given sources; throws SOURCE_SCAN_FAILED, PROCESS_TIMEOUT or JOB_CANCELLED. */
  scan(files: readonly { path: string; content: string }[], opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Finding[]> {
    const paths = new Set(files.map((f) => f.path));
    return this.ask<Finding[]>({ files: files.map((f) => ({ path: f.path, content: f.content })) }, 'The source scan', opts, (value) => {
      const read = scanAnswerOf(value);
      if ('problem' in read) return { problem: read.problem };
      const { answer } = read;
      if ('error' in answer) return { problem: `the scanner could not scan: ${answer.error}` };
      const stranger = answer.findings.find((f) => !paths.has(f.file));
      if (stranger) return { problem: `the scanner named ${JSON.stringify(stranger.file.slice(0, 200))}, which it was not given` };
      return { value: answer.findings };
    });
  }

  /**
   * The shipped build of `files` (paths under src/), compiled file by file with `compilerOptions`:
   * each .ts source's .js and .d.ts under dist/, exactly those; or the syntax errors; or
   * `wholeProgram` when declarations need the whole program. Throws SOURCE_SCAN_FAILED (also for an
   * answer naming any other file), PROCESS_TIMEOUT or JOB_CANCELLED.
   */
  emit(
    files: readonly { path: string; content: string }[],
    compilerOptions: Record<string, unknown>,
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<Emitted> {
    const expected = new Set(files.filter((f) => /^src\/.+(?<!\.d)\.ts$/.test(f.path)).flatMap((f) => emittedNames(f.path)));
    const request = { command: 'emit', files: files.map((f) => ({ path: f.path, content: f.content })), compilerOptions };
    return this.ask<Emitted>(request, 'The shipped build', opts, (value) => {
      const read = emitAnswerOf(value);
      if ('problem' in read) return { problem: read.problem };
      const { answer } = read;
      if ('error' in answer) return { problem: `the scanner could not build: ${answer.error}` };
      if (answer.diagnostics.length > 0 || answer.wholeProgram) return { value: { outputs: [], diagnostics: answer.diagnostics, wholeProgram: answer.wholeProgram } };
      const names = answer.outputs.map((o) => o.path);
      const stranger = names.find((name) => !expected.has(name));
      if (stranger) return { problem: `the scanner emitted ${JSON.stringify(stranger.slice(0, 200))}, which its sources do not make` };
      if (new Set(names).size !== names.length || names.length !== expected.size) {
        return { problem: `the scanner emitted ${names.length} file(s) where the sources make ${expected.size}` };
      }
      return { value: { outputs: answer.outputs, diagnostics: [], wholeProgram: false } };
    });
  }

  /** Sends one request and waits for its answer, read by `read`; anything wrong with it stops the scanner and fails closed. */
  private async ask<T>(
    body: Record<string, unknown>,
    what: string,
    opts: { timeoutMs: number; signal?: AbortSignal },
    read: (value: unknown) => { value: T } | { problem: string },
  ): Promise<T> {
    opts.signal?.throwIfAborted();
    const id = this.nextId++;
    const request = JSON.stringify({ id, ...body });
    this.inFlight++;
    const started = this.start(opts.signal);
    const answered = (async () => {
      const child = await started;
      // Stopped (closed, or failed for another request) while it started: this one is not sent to it.
      if (this.child !== started) throw codedError('SOURCE_SCAN_FAILED', { problem: 'the scanner was stopped before it answered' });
      return new Promise<T>((resolve, reject) => {
        this.pending.set(id, {
          take: (value) => {
            const result = read(value);
            if ('problem' in result) return result.problem;
            resolve(result.value);
            return undefined;
          },
          reject,
        });
        child.send(request);
      });
    })();
    try {
      return await bounded(answered, {
        ms: opts.timeoutMs,
        onTimeout: () => codedError('PROCESS_TIMEOUT', { process: what }),
        signal: opts.signal,
      });
    } catch (error) {
      // The process this request was sent to is not believed any more (a newer one is another request's).
      if (this.child === started) this.kill();
      if (opts.signal?.aborted) throw codedError('JOB_CANCELLED', { when: `during ${what.toLowerCase()}` }, { cause: opts.signal.reason });
      throw isPluginDynamicError(error) ? error : codedError('SOURCE_SCAN_FAILED', { problem: `the scanner could not be started: ${String(error)}` }, { cause: error });
    } finally {
      this.pending.delete(id);
      this.inFlight--;
      if (this.closed && this.inFlight === 0) this.kill();
    }
  }

  /** Ends the scanner and its control group now; a request still waiting fails closed. No request is taken after. Idempotent. */
  close(): void {
    this.closed = true;
    this.kill();
  }

  /**
   * Ends the scanner once the requests already sent are answered: the shipped build started when
   * the checks passed outlives the pipeline that started it. Each of those requests is bounded by its
   * own time limit and signal. No request is taken after. Idempotent.
   */
  closeWhenIdle(): void {
    this.closed = true;
    if (this.inFlight === 0) this.kill();
  }

  private start(signal?: AbortSignal): Promise<LineProcess> {
    if (this.closed) return Promise.reject(codedError('SOURCE_SCAN_FAILED', { problem: 'the scanner was closed' }));
    if (this.child) return this.child;
    const starting: Promise<LineProcess> = this.spawn(signal).catch((error: unknown) => {
      if (this.child === starting) this.child = undefined;
      throw error;
    });
    this.child = starting;
    return starting;
  }

  private async spawn(signal?: AbortSignal): Promise<LineProcess> {
    const node = (await childNode(signal)).path;
    const sandbox = this.opts.sandbox ?? ((await bwrapWorks()) ? bwrapSandbox : noSandbox);
    const home = sandbox.kind === 'none' ? tmpdir() : '/tmp';
    const base = {
      command: node,
      args: [`--max-old-space-size=${HEAP_MB}`, SCAN_SCRIPT],
      cwd: WORKER_DIR,
      env: scrubbedEnv(home, { NODE_ENV: 'production', TMPDIR: home }),
      maxOutputBytes: this.outputCapBytes,
    };
    const group = sandbox.kind === 'none' ? undefined : openResourceGroup(`scan-${randomBytes(4).toString('hex')}`, SCAN_BOUNDS);
    const sandboxed = sandbox.wrap(base, scanSandboxPolicy());
    const mine = ++this.generation;
    const child = startLineProcess(group ? group.wrap(sandboxed) : sandboxed, (line) => {
      if (this.generation === mine) this.onLine(line);
    });
    void child.ended.then(({ outputLimitHit }) => {
      const bounds = group?.takeBoundsHit() ?? [];
      void group?.dispose();
      if (this.generation !== mine) return;
      this.failAll(
        outputLimitHit
          ? `the scanner printed more than ${this.outputCapBytes} bytes in one answer and was stopped`
          : `the scanner ended without answering${bounds.length > 0 ? ` (it hit ${bounds.join(' and ')})` : ''}`,
      );
    });
    return child;
  }

  private onLine(line: string): void {
    const parsed = parseScanLine(line);
    if ('problem' in parsed) return this.failAll(parsed.problem);
    const waiting = parsed.id === undefined ? undefined : this.pending.get(parsed.id);
    if (!waiting) return this.failAll(parsed.id === undefined ? noIdProblem(parsed.value) : `the scanner answered request ${parsed.id}, which was not asked`);
    const problem = waiting.take(parsed.value);
    if (problem !== undefined) this.failAll(problem);
  }

  /** Every waiting scan fails closed, and the scanner is stopped: nothing more it says is believed. */
  private failAll(problem: string): void {
    for (const waiting of this.pending.values()) waiting.reject(codedError('SOURCE_SCAN_FAILED', { problem }));
    this.pending.clear();
    this.kill();
  }

  /** Stops the process; a scan still waiting for it (another caller's) fails closed at once. */
  private kill(): void {
    for (const waiting of this.pending.values()) waiting.reject(codedError('SOURCE_SCAN_FAILED', { problem: 'the scanner was stopped before it answered' }));
    this.pending.clear();
    const child = this.child;
    this.child = undefined;
    this.generation++;
    // Its control group goes when it has ended (the `ended` handler above).
    void child?.then((c) => c.kill(), () => undefined);
  }
}

/** What an answer without a readable id is, in words. */
function noIdProblem(value: unknown): string {
  const read = scanAnswerOf(value);
  return 'problem' in read ? read.problem : 'the scanner answered without an id';
}

/** The files tsc makes from one source under src/: its .js and .d.ts under dist/. */
function emittedNames(path: string): string[] {
  const stem = `dist/${path.replace(/^src\//, '').replace(/\.ts$/, '')}`;
  return [`${stem}.js`, `${stem}.d.ts`];
}
