import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../context.js';

/** Runs a command body with its context (set up by program.ts: errors, Ctrl-C, closing the backend). */
export type Run = (body: (ctx: CliContext) => Promise<void>) => Promise<void>;

/** A command group adds its commands to the program. */
export type CommandGroup = (program: Command, run: Run) => void;

/** commander parser for a whole number in [min, max]; a bad value is a usage error. */
export function intBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Use a whole number from ${min} to ${max}`);
    return n;
  };
}
