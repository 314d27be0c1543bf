import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runProcess } from '../../../src/shared/process-runner.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
/** A plugin with one required secret, installed from its folder. */
export const SECRET_FIXTURE = join(ROOT, 'test', 'integration', 'management', 'fixtures', 'plugin-secret-echo');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** tsx's loader by path: `--import tsx` would resolve from the child's working folder. */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** The argv that runs the CLI from source as a real child process, from any working folder. */
export function cliArgv(args: string[]): string[] {
  return ['--import', TSX, MAIN, ...args];
}

/** Runs `plugin-dynamic ...args` with exactly `env` (nothing inherited), as a person's shell would. */
export async function runCli(
  args: string[],
  opts: { env: Record<string, string>; cwd?: string; input?: string },
): Promise<CliResult> {
  const result = await runProcess({
    command: process.execPath,
    args: cliArgv(args),
    cwd: opts.cwd ?? ROOT,
    env: opts.env,
    timeoutMs: 240_000,
    maxOutputBytes: 4_000_000,
    ...(opts.input === undefined ? {} : { input: opts.input }),
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** The envelope a --json command prints. */
export function envelope<T>(stdout: string): { success: true; data: T } | { success: false; error: { code: string; message: string; hint: string } } {
  return JSON.parse(stdout) as { success: true; data: T } | { success: false; error: { code: string; message: string; hint: string } };
}

/** A stack frame line, which must never reach a person without --verbose. */
export const STACK_LINE = /^\s+at .+[(:]\d+/m;
