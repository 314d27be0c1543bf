import type { PluginDynamicError } from '../../errors.js';

/** Which queue runs an agent's creation jobs: in this process (PGLite, the default) or pg-boss (PostgreSQL). */
export const CREATION_QUEUE_KINDS = ['in-process', 'pg-boss'] as const;
export type CreationQueueKind = (typeof CREATION_QUEUE_KINDS)[number];

/** What the creation service asks of its queue, whichever runs the jobs. */
export interface CreationQueue {
  readonly kind: CreationQueueKind;
  /** The shared toolchain's versions, once a job here has prepared it. */
  readonly toolchain: Record<string, string> | undefined;
  enqueue(id: string): void;
  /** Stops a running job with `reason` (pg-boss: the worker that holds it stops it as cancelled). */
  abort(id: string, reason: PluginDynamicError): void;
  /** The ids of the jobs running in this process now. */
  activeJobIds(): Set<string>;
  stop(reason: PluginDynamicError): Promise<void>;
}
