import { resolve } from 'node:path';
import { codedError } from '../errors.js';
import type { Backend } from './backend.js';
import { note, printError, type OutputOptions } from './output.js';

/** The options every command takes (commander's program options). */
export interface GlobalOptions {
  dataDir?: string;
  agentUrl?: string;
  agent?: string;
  token?: string;
  json?: boolean;
  verbose?: boolean;
}

export const DEFAULT_DATA_DIR = '.eliza/plugin-dynamic';

/** Exit status after Ctrl-C, as shells expect (128 + SIGINT). */
const INTERRUPTED_EXIT = 130;

/**
 * What one command runs with: output options, the backend (opened on first use, so input errors
 * are reported before a runtime starts), and a signal that Ctrl-C aborts.
 */
export class CliContext {
  readonly out: OutputOptions;
  private readonly controller = new AbortController();
  private opened: Promise<Backend> | undefined;

  constructor(
    readonly options: GlobalOptions,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.out = { json: options.json === true, verbose: options.verbose === true };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get mode(): 'headless' | 'agent' {
    return this.options.agentUrl ? 'agent' : 'headless';
  }

  /** The headless runtime's data folder: --data-dir, else PLUGIN_DYNAMIC_DATA_DIR, else ./.eliza/plugin-dynamic. */
  get dataDir(): string {
    return resolve(this.options.dataDir ?? this.env['PLUGIN_DYNAMIC_DATA_DIR'] ?? DEFAULT_DATA_DIR);
  }

  interrupt(): void {
    this.controller.abort(new Error('Interrupted by the user.'));
  }

  backend(): Promise<Backend> {
    this.opened ??= this.open();
    return this.opened;
  }

  private async open(): Promise<Backend> {
    const o = this.options;
    if (o.agentUrl) {
      if (o.dataDir) throw codedError('INVALID_INPUT', { input: '--data-dir', problem: 'is for the headless runtime; leave it out with --agent-url.' });
      const token = o.token ?? this.env['PLUGIN_DYNAMIC_API_TOKEN'];
      const serverKey = this.env['ELIZA_SERVER_AUTH_TOKEN'];
      const { httpBackend } = await import('./http-backend.js');
      return httpBackend({
        agentUrl: o.agentUrl,
        ...(o.agent ? { agent: o.agent } : {}),
        ...(token ? { token } : {}),
        ...(serverKey ? { serverKey } : {}),
        signal: this.signal,
      });
    }
    if (o.agent) throw codedError('INVALID_INPUT', { input: '--agent', problem: 'picks an agent on a server; it needs --agent-url.' });
    // Loaded on demand: the runtime and PGLite take seconds to import and start, which --help,
    // usage errors, prompts and the reads the closed snapshot answers should not wait for.
    const { readFirstBackend } = await import('./fast/read-first-backend.js');
    return readFirstBackend(this.dataDir, this.signal, this.env);
  }

  /** Stops the headless runtime (its services end their work first); a no-op for an agent. */
  async close(): Promise<void> {
    const backend = await this.opened?.catch(() => undefined);
    await backend?.close();
  }
}

/**
 * Runs one command: any error becomes one line with its code (or the JSON envelope) and exit
 * code 1; Ctrl-C aborts the context's signal, a second Ctrl-C leaves at once.
 */
export async function runCommand(options: GlobalOptions, body: (ctx: CliContext) => Promise<void>): Promise<void> {
  const ctx = new CliContext(options);
  const onSigint = (): void => {
    if (ctx.signal.aborted) process.exit(INTERRUPTED_EXIT);
    note(ctx.out, 'Interrupted: stopping (Ctrl-C again to quit at once)…');
    ctx.interrupt();
  };
  process.on('SIGINT', onSigint);
  try {
    await body(ctx);
  } catch (error) {
    if (ctx.signal.aborted) {
      note(ctx.out, 'Interrupted.');
      process.exitCode = INTERRUPTED_EXIT;
    } else {
      printError(ctx.out, error);
    }
  } finally {
    await ctx.close().catch((error: unknown) => {
      if (ctx.out.verbose) printError(ctx.out, error);
    });
    process.off('SIGINT', onSigint);
  }
}
