import type { IAgentRuntime } from '@elizaos/core';
import type { z } from 'zod';
import type { PluginCreationService } from '../creation/plugin-creation-service.js';
import type { PluginManagementService } from '../management/plugin-management-service.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../service-types.js';

/** The two services every operation runs over. */
export interface Services {
  management: PluginManagementService;
  creation: PluginCreationService;
}

/** The two services of a runtime, or undefined when either is not running. */
export function servicesOf(runtime: IAgentRuntime): Services | undefined {
  const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
  const creation = runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE);
  return management && creation ? { management, creation } : undefined;
}

/** What an operation takes: nothing, or the value its input schema parses to. */
export type OperationInput<I> = I extends z.ZodType ? z.output<I> : undefined;

/**
 * One operation of the plugin: where it is served over HTTP (a GET reads its input from the query,
 * a POST from the JSON body and needs the plugin's token), what it takes and answers, and what it
 * does with the services. `signal` comes from the CLI (Ctrl-C); routes pass none.
 */
export interface Operation<I extends z.ZodType | undefined = z.ZodType | undefined, O extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST';
  path: string;
  input: I;
  output: O;
  // A method, so that any operation is an `Operation` (whose input is then unknown).
  handler(services: Services, input: OperationInput<I>, signal?: AbortSignal): Promise<z.output<O>>;
}

/** Declares an operation with its types inferred from its schemas. */
export function operation<I extends z.ZodType | undefined, O extends z.ZodType>(op: Operation<I, O>): Operation<I, O> {
  return op;
}

/** A POST changes something, so it needs the plugin's bearer token. */
export const isMutating = (op: Pick<Operation, 'method'>): boolean => op.method !== 'GET';

/** `{ signal }` when there is one, so a call without it is exactly the call the routes make. */
export const withSignal = (signal: AbortSignal | undefined): { signal?: AbortSignal } => (signal ? { signal } : {});
