import { codedError } from '../errors.js';

/**
 * A lifecycle as data: the states, the moves allowed from each, and one function that makes a move
 * or refuses it naming the moves that are allowed.
 */
export interface Lifecycle<S extends string> {
  readonly states: readonly S[];
  allowed(from: S): readonly S[];
  canMove(from: S, to: S): boolean;
  /** Returns `to`, or throws ILLEGAL_TRANSITION naming the allowed moves. */
  transition(from: S, to: S, subject: string): S;
}

export function defineLifecycle<S extends string>(table: Record<S, readonly S[]>): Lifecycle<S> {
  const states = Object.keys(table) as S[];
  return {
    states,
    allowed: (from) => table[from],
    canMove: (from, to) => table[from].includes(to),
    transition(from, to, subject) {
      if (table[from].includes(to)) return to;
      const allowed = table[from];
      throw codedError(
        'ILLEGAL_TRANSITION',
        { subject, state: from, change: `become ${to}`, allowed: allowed.length ? allowed.join(', ') : 'nothing' },
        { details: { from, to, allowed } },
      );
    },
  };
}
