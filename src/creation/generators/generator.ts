import type { PluginPermissions } from '../../management/permissions/plugin-permissions.js';
import type { IterationFeedback } from '../pipeline/feedback.js';
import type { PluginSpec } from '../spec/plugin-spec.js';
import type { GeneratedFile } from '../workspace/generated-file.js';
import type { GeneratorKind } from './generator-kinds.js';

export type { GeneratedFile } from '../workspace/generated-file.js';

export interface GenerationRequest {
  spec: PluginSpec;
  /** 1 for the first attempt. */
  iteration: number;
  /** The workspace's source files as they are now (empty on the first iteration). */
  currentFiles: GeneratedFile[];
  /** The first failing gate of the previous iteration. */
  feedback: IterationFeedback | undefined;
  signal?: AbortSignal;
}

export interface GenerationResult {
  files: GeneratedFile[];
  /** Extra npm dependencies the generator needs (validated like the specification's). */
  dependencies?: Record<string, string>;
  /**
   * Permissions the generated code needs beyond the specification's (the template's reminders: their
   * task worker and posting to rooms; its records: storage; its parameter reading: model calls). They
   * are merged into the package.json's `agentConfig.permissions` (lists joined, the larger number kept)
   * and shown in the consent request like the specification's own.
   */
  permissions?: Partial<Pick<PluginPermissions, 'taskWorkers' | 'events' | 'routes' | 'postToRooms' | 'modelCallsPerHour' | 'storageMb'>>;
}

/** Writes a plugin's source for a specification: the template (offline) or a model. */
export interface PluginGenerator {
  readonly kind: GeneratorKind;
  /**
   * Writes the same files for the same specification whatever the feedback: when its output fails a
   * gate, another iteration cannot change the result, so the pipeline stops at once.
   */
  readonly deterministic?: boolean;
  generate(request: GenerationRequest): Promise<GenerationResult>;
}
