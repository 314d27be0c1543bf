import { adviceFor, errorEnvelope, toPluginDynamicError } from '../errors.js';

export interface OutputOptions {
  json: boolean;
  verbose: boolean;
}

/**
 * Prints a result: the same `{ success, data }` envelope as the HTTP API for scripts, or the lines
 * a person reads. Results go to stdout; progress and errors go to stderr, so a pipe gets only data.
 */
export function printResult(opts: OutputOptions, data: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify({ success: true, data }, null, 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

/** A line for a person while work goes on (never with --json, never on stdout). */
export function note(opts: OutputOptions, line: string): void {
  if (!opts.json) process.stderr.write(`${line}\n`);
}

/**
 * One readable line with the code, then what to do about it; a stack only with --verbose.
 * With --json the error envelope goes to stdout like any other answer. Sets exit code 1.
 */
export function printError(opts: OutputOptions, error: unknown): void {
  const e = toPluginDynamicError(error);
  if (opts.json) {
    const envelope = errorEnvelope(e);
    // The advice in the CLI's words (its commands and flags), as in the one-line form.
    process.stdout.write(`${JSON.stringify({ ...envelope, error: { ...envelope.error, hint: adviceFor(e.code, 'cli') } }, null, 2)}\n`);
  } else {
    process.stderr.write(`error ${e.code}: ${oneLine(e.message)}\n`);
    process.stderr.write(`  ${adviceFor(e.code, 'cli')}\n`);
    if (opts.verbose) process.stderr.write(`${stackOf(e)}\n`);
  }
  process.exitCode = 1;
}

/** Messages from tools can span lines; the first line of output stays one line. */
function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' | ');
}

function stackOf(error: Error): string {
  const cause = error.cause instanceof Error && error.cause.stack ? `\ncaused by: ${error.cause.stack}` : '';
  return `${error.stack ?? error.message}${cause}`;
}

/** Columns padded to the widest cell; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
