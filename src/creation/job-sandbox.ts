import { join } from 'node:path';
import { agentNodeModules } from '../shared/npm/agent-packages.js';
import type { ProcessSpec } from '../shared/process-runner.js';
import type { PluginDynamicConfig } from '../config.js';
import type { GroupBounds, ResourceGroup, Sandbox, SandboxPolicy } from '../shared/sandbox/index.js';
import { CHECKER_SNAPSHOT_DIR, WORKER_DIR } from './steps/index.js';

/** A job's control group: its memory and its processes, all of its tools together. */
export function jobGroupBounds(settings: PluginDynamicConfig): GroupBounds {
  return { memoryBytes: settings.jobMemoryMb * 1024 * 1024, maxProcesses: settings.jobMaxProcesses };
}

/**
 * What a creation job's tools may touch: the workspace read-write; the shared toolchain, the
 * host's node_modules (for @elizaos/core), the checker script and its startup snapshot and the job's dependencies read-only; no network. CPU time
 * is a backstop behind the wall-time limit (twice it, so the wall clock names a hang).
 */
export function jobSandboxPolicy(opts: {
  dataDir: string;
  workspaceDir: string;
  commandTimeoutMs: number;
  dependencyDir?: string;
  /** The pipeline's configuration files, bound read-only over the workspace's: no test can rewrite them. */
  configFiles?: { source: string; target: string }[];
}): SandboxPolicy & { limits: { cpuSeconds: number; fileBytes: number } } {
  return {
    ...(opts.configFiles ? { readOnlyFiles: opts.configFiles } : {}),
    writable: [opts.workspaceDir],
    // The job's dependency folder (npm's) is read-only to its tools; the sandbox binds it once it exists.
    readOnly: [join(opts.dataDir, 'toolchain'), agentNodeModules(), WORKER_DIR, CHECKER_SNAPSHOT_DIR, ...(opts.dependencyDir ? [opts.dependencyDir] : [])],
    network: false,
    limits: { cpuSeconds: 2 * Math.ceil(opts.commandTimeoutMs / 1000), fileBytes: 64 * 1024 * 1024, openFiles: 4096 },
  };
}

/** How each of a job's tool runs is started: in the sandbox with `policy`, inside the job's control group when there is one. */
export function jobSandboxWrap(sandbox: Sandbox, policy: SandboxPolicy, group: ResourceGroup | undefined): (spec: ProcessSpec) => ProcessSpec {
  return (spec) => {
    const sandboxed = sandbox.wrap(spec, policy);
    return group ? group.wrap(sandboxed) : sandboxed;
  };
}
