import { errorEnvelope, toPluginDynamicError } from '../errors.js';

export interface OutputOptions {
  json: boolean;
  verbose: boolean;
}

/** Prints a result: the JSON envelope for scripts, or the lines a person reads. */
export function printResult(opts: OutputOptions, data: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify({ success: true, data }, null, 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

/** One readable line with the code (and the hint), a stack only with --verbose; exit code 1. */
export function printError(opts: OutputOptions, error: unknown): void {
  const e = toPluginDynamicError(error);
  if (opts.json) process.stdout.write(`${JSON.stringify(errorEnvelope(e), null, 2)}\n`);
  else {
    process.stderr.write(`error ${e.code}: ${e.message}\n`);
    if (e.code !== 'INTERNAL') process.stderr.write(`  ${e.hint}\n`);
    if (opts.verbose && e.stack) process.stderr.write(`${e.stack}\n`);
  }
  process.exitCode = 1;
}

export function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
