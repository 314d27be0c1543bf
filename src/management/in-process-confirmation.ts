import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { codedError } from '../errors.js';

/*
 * Moving a plugin into the agent's process gives its code the agent's memory, environment and keys,
 * so a request that can be scripted (HTTP, the panel, a chat message) does not suffice. The request
 * must carry the plugin's name, typed, and a one-time code that the agent writes to its own terminal
 * (stderr), never through its logger: the ElizaOS server serves the logger's buffer at
 * /api/server/logs, where a script on the agent's origin could read it. A script in a browser tab
 * can send a request; it cannot read the agent's terminal.
 */

export const ConfirmationSchema = z.strictObject({
  /** The plugin's package name, as a person typed it. */
  name: z.string().trim().min(1).max(300),
  /** The one-time code the agent printed on its terminal. */
  code: z.string().trim().min(1).max(40),
});
export type Confirmation = z.infer<typeof ConfirmationSchema>;

/** Letters and digits that cannot be misread for each other (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

interface Pending {
  digest: Buffer;
  expiresAt: number;
}

export interface InProcessConfirmationsOptions {
  /** Writes one line where only the agent's operator sees it (default: the process's stderr). */
  print?: (line: string) => void;
  /** How long a code stays valid. */
  ttlMs?: number;
  now?: () => number;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const normalise = (code: string): string => code.replace(/[\s-]/g, '').toUpperCase();

/** One pending code per plugin; a code is consumed by its first use, right or wrong. */
export class InProcessConfirmations {
  private readonly pending = new Map<string, Pending>();
  private readonly print: (line: string) => void;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: InProcessConfirmationsOptions = {}) {
    this.print = options.print ?? ((line) => void process.stderr.write(`${line}\n`));
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Returns when `given` names `packageName` and carries its pending code. Otherwise prints a new
   * code for it (a wrong code is spent, so codes cannot be guessed one by one) and throws
   * CONFIRMATION_REQUIRED.
   */
  require(packageName: string, given: Confirmation | undefined): void {
    const pending = this.pending.get(packageName);
    this.pending.delete(packageName);
    if (given && pending && this.matches(packageName, given, pending)) return;
    this.issue(packageName);
    const problem = given
      ? "the name or the code did not match (or the code expired); a new code was printed on the agent's terminal"
      : "type its name and the one-time code just printed on the agent's terminal";
    throw codedError('CONFIRMATION_REQUIRED', { plugin: packageName, problem });
  }

  private matches(packageName: string, given: Confirmation, pending: Pending): boolean {
    const codeOk = timingSafeEqual(digest(normalise(given.code)), pending.digest);
    return codeOk && pending.expiresAt > this.now() && given.name.trim().toLowerCase() === packageName.toLowerCase();
  }

  private issue(packageName: string): void {
    let code = '';
    for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    this.pending.set(packageName, { digest: digest(code), expiresAt: this.now() + this.ttlMs });
    const shown = `${code.slice(0, 4)}-${code.slice(4)}`;
    const minutes = Math.round(this.ttlMs / 60_000);
    this.print(`[plugin-dynamic] To run ${packageName} in the agent's process, confirm with its name and the code ${shown} (valid ${minutes} min, once).`);
  }
}
