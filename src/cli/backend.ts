import type { CreationCapabilities } from '../creation/capabilities.js';
import type { CreateOptions } from '../creation/plugin-creation-service.js';
import type { JobRecord } from '../creation/jobs/job-record.js';
import type { PluginSpec } from '../creation/spec/plugin-spec.js';
import type { SearchAnswer } from '../management/plugin-management-service.js';
import type { PluginView } from '../management/plugin-view.js';
import type { RegistryEntry } from '../management/types.js';
import type { ActionRun } from './run-action.js';

export type LifecycleVerb = 'activate' | 'deactivate' | 'unload';

/**
 * What the commands need, whether the services run in this process (headless) or in a running
 * agent (--agent-url). Both return the services' own data, so the output is the same either way.
 */
export interface Backend {
  readonly mode: 'headless' | 'agent';
  search(query: string, opts: { limit: number; v1Only: boolean }): Promise<SearchAnswer>;
  info(name: string): Promise<RegistryEntry>;
  list(): Promise<PluginView[]>;
  install(source: string, opts: { activate: boolean }): Promise<PluginView>;
  configure(plugin: string, values: Record<string, string>): Promise<PluginView>;
  lifecycle(verb: LifecycleVerb, plugin: string): Promise<PluginView>;
  uninstall(plugin: string): Promise<{ packageName: string; removed: string }>;
  /** Where the plugin runs: its own host process, the agent's process, or the PLUGIN_DYNAMIC_ISOLATION default. */
  setIsolation(plugin: string, mode: 'isolated' | 'in-process' | 'default'): Promise<PluginView>;
  createFromSpec(spec: unknown, opts: CreateOptions): Promise<JobRecord>;
  createFromDescription(text: string, opts: CreateOptions): Promise<{ job: JobRecord; spec: PluginSpec }>;
  jobs(): Promise<JobRecord[]>;
  job(id: string): Promise<JobRecord>;
  cancel(id: string): Promise<JobRecord>;
  /**
   * Calls `onUpdate` with the job now and after every change until it ends (events in a headless
   * runtime, polling against an agent), then resolves with its final record. Rejects when
   * `signal` aborts; the job itself is left alone.
   */
  watchJob(id: string, onUpdate: (job: JobRecord) => void, signal: AbortSignal): Promise<JobRecord>;
  capabilities(): Promise<CreationCapabilities>;
  /** Runs an action of a loaded plugin with a message; only a runtime in this process can. */
  runAction(actionName: string, text: string): Promise<ActionRun>;
  close(): Promise<void>;
}
