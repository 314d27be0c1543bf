import { execa } from 'execa';
import { codedError, PluginDynamicError } from '../errors.js';

/** A command and how it may run. Arguments are passed as an array: there is never a shell. */
export interface ProcessSpec {
  command: string;
  args: readonly string[];
  cwd: string;
  /** The child's whole environment: nothing of the host's environment is inherited. */
  env: Record<string, string>;
  /** @default 300_000 */
  timeoutMs?: number;
  /** Bytes of stdout plus stderr kept; past it the process group is killed. @default 1_048_576 */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL for the process group. @default 2_000 */
  killGraceMs?: number;
  /** Text written to stdin, then closed. */
  input?: string;
}

/** What happened; a non-zero exit is a result, not an exception. */
export interface ProcessResult {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  outputLimitHit: boolean;
  durationMs: number;
}

/** Variables a tool needs to run at all; everything else (API keys, tokens, secrets) stays out. */
export function scrubbedEnv(
  home: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const base: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    CI: '1',
  };
  return { ...base, ...extra };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Runs one child process in its own process group, bounded in time and output, cancellable, and
 * kills the whole group (workers included) when it ends, times out or is cancelled.
 */
export async function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  spec.signal?.throwIfAborted();
  const timeoutMs = spec.timeoutMs ?? 300_000;
  const maxOutputBytes = spec.maxOutputBytes ?? 1_048_576;
  const killGraceMs = spec.killGraceMs ?? 2_000;
  const started = Date.now();
  let timedOut = false;
  let cancelled = false;

  const child = execa(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    extendEnv: false,
    reject: false,
    detached: true,
    cleanup: true,
    stripFinalNewline: false,
    maxBuffer: maxOutputBytes,
    ...(spec.input === undefined ? { stdin: 'ignore' as const } : { input: spec.input }),
    encoding: 'utf8',
  });
  const pid = child.pid;

  let forceTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    killGroup(pid, 'SIGTERM');
    forceTimer ??= setTimeout(() => killGroup(pid, 'SIGKILL'), killGraceMs);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);
  const onAbort = (): void => {
    cancelled = true;
    stop();
  };
  spec.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const result = await child;
    const outputLimitHit = result.isMaxBuffer === true;
    const stdout = typeof result.stdout === 'string' ? result.stdout : '';
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    return {
      ok: result.exitCode === 0 && !timedOut && !cancelled && !outputLimitHit,
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      stdout,
      stderr,
      timedOut,
      cancelled,
      outputLimitHit,
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    if (forceTimer) clearTimeout(forceTimer);
    spec.signal?.removeEventListener('abort', onAbort);
    // Whatever the child left in its group (workers, stray grandchildren) goes with it.
    killGroup(pid, 'SIGKILL');
  }
}

/** Turns a failed run into the error a caller reports, naming the bound that was hit. */
export function processFailure(what: string, result: ProcessResult): PluginDynamicError {
  if (result.timedOut) {
    return codedError('PROCESS_TIMEOUT', { process: what });
  }
  if (result.outputLimitHit) {
    return codedError('PROCESS_OUTPUT_LIMIT', { process: what, limit: 'the output cap' });
  }
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-15).join('\n');
  return codedError('INTERNAL', { what, problem: `exited with ${result.exitCode ?? result.signal}: ${tail}` });
}

/** A long-lived child (the warm checker) that answers one line at a time on stdout. */
export interface LineProcess {
  /** Writes one line to its stdin. */
  send(line: string): void;
  /** Kills its whole process group. Idempotent. */
  kill(): void;
  /** Its process id (undefined when it could not be started). */
  readonly pid: number | undefined;
  /** Settles when it has ended; `outputLimitHit` when it printed a line longer than the cap. */
  readonly ended: Promise<{ outputLimitHit: boolean }>;
}

/**
 * Starts a long-lived child under the same rules as runProcess (argv, no shell, its own process
 * group, only the given environment, stderr discarded) with its stdout cut into lines. The cap is
 * `maxOutputBytes` per line: a child that prints more without a newline is killed with its group,
 * so what the agent holds of its output never exceeds the cap, however much it prints.
 */
export function startLineProcess(spec: ProcessSpec, onLine: (line: string) => void): LineProcess {
  const maxLineBytes = spec.maxOutputBytes ?? 1_048_576;
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
  const pid = child.pid;
  let outputLimitHit = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const kill = (): void => killGroup(pid, 'SIGKILL');
  child.stdout?.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      if (pendingBytes + piece.length <= maxLineBytes) onLine(Buffer.concat([...pending, piece]).toString('utf8'));
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0) return;
    if (pendingBytes + rest.length > maxLineBytes) {
      // Nothing of an over-long line is kept: the child is stopped and its bytes dropped.
      outputLimitHit = true;
      pending = [];
      pendingBytes = 0;
      child.stdout?.destroy();
      kill();
      return;
    }
    pending.push(Buffer.from(rest));
    pendingBytes += rest.length;
  });
  const ended = child.then(
    () => ({ outputLimitHit }),
    () => ({ outputLimitHit }),
  );
  return {
    send: (line) => {
      child.stdin?.write(`${line}\n`);
    },
    kill,
    pid,
    ended,
  };
}
