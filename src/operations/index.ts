import type { z } from 'zod';
import { approvalOperations } from './approval-operations.js';
import { creationOperations } from './creation-operations.js';
import { managementOperations } from './management-operations.js';
import type { Operation, OperationInput } from './operation.js';

/**
 * Every operation of the plugin, once: the HTTP routes, the panel's paths, the headless CLI and the
 * CLI's --agent-url client are all derived from this table.
 */
export const OPERATIONS = { ...managementOperations, ...approvalOperations, ...creationOperations };

export type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;

/** What calling an operation looks like from outside the services: input in, the answer out. */
export type OperationCall<Op> =
  Op extends Operation<infer I, infer O>
    ? I extends z.ZodType
      ? (input: OperationInput<I>) => Promise<z.output<O>>
      : () => Promise<z.output<O>>
    : never;

/** One function per operation (the CLI's backends are this, plus what only a CLI needs). */
export type OperationCalls = { [K in OperationName]: OperationCall<Operations[K]> };

/** Builds the functions of every operation from one function of an operation and its name. */
export function callsOf(call: (op: Operation, name: OperationName) => (input?: unknown) => Promise<unknown>): OperationCalls {
  const entries = (Object.keys(OPERATIONS) as OperationName[]).map((name) => [name, call(OPERATIONS[name], name)] as const);
  // Each function answers its own operation's output: `call` is given that operation.
  return Object.fromEntries(entries) as OperationCalls;
}

/**
 * Paths are relative to the plugin's prefix: core registers them under /plugin-dynamic, and the
 * ElizaOS 1.x server exposes them at /api/agents/<agentId>/plugins/plugin-dynamic/<path>.
 */
export const PLUGIN_ROUTE_PREFIX = '/plugin-dynamic';

export { isMutating, servicesOf, withSignal, type Operation, type OperationInput, type Services } from './operation.js';
export * from './records.js';
