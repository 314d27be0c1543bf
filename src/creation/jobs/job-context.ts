import type { IAgentRuntime } from '@elizaos/core';
import type { PluginDynamicConfig } from '../../config.js';
import type { PluginSpec } from '../spec/plugin-spec.js';
import type { SparePool } from '../spare/spare-pool.js';
import type { JobRecord } from './job-record.js';
import type { JobSourceStore } from './job-sources.js';
import type { JobStore } from './job-store.js';

/** The log source of everything plugin creation logs. */
export const CREATION_LOG_SRC = 'plugin-dynamic:creation';

/** What every step of running a job reads: the agent, the settings and the job store. */
export interface JobDeps {
  runtime: IAgentRuntime;
  settings: PluginDynamicConfig;
  jobs: JobStore;
  /** Where accepted sources are kept for a retry (the fleet); none in-process, where jobs are not retried. */
  sources?: JobSourceStore;
  /** The warm spare toolchain a job may adopt (PLUGIN_DYNAMIC_WARM_TOOLCHAIN); none in the fleet's workers. */
  spares?: SparePool;
}

/** One job being run: its record as it was queued, its specification and the signal that stops it. */
export interface RunningJob {
  id: string;
  queued: JobRecord;
  spec: PluginSpec;
  signal: AbortSignal;
}
