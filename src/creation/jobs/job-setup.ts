import type { ProcessSpec } from '../../shared/process-runner.js';
import { openResourceGroup, selectSandbox, type ResourceGroup, type Sandbox } from '../../shared/sandbox/index.js';
import { jobGroupBounds } from '../capabilities.js';
import { jobSandboxPolicy } from '../job-sandbox.js';
import { JobFiles } from '../pipeline/job-files.js';
import { appendPhases, PhaseClock } from '../pipeline/phase-times.js';
import { ensureToolchain, type Toolchain } from '../toolchain/index.js';
import type { JobDeps, RunningJob } from './job-context.js';

/** What a job holds that must be released when it ends, however it ends (filled in as it is acquired). */
export interface JobResources {
  files?: JobFiles;
  group?: ResourceGroup;
}

/** A job's workspace ready for the pipeline: its files, the toolchain and how every tool run is wrapped. */
export interface PreparedJob {
  files: JobFiles;
  toolchain: Toolchain;
  group: ResourceGroup | undefined;
  wrap: (spec: ProcessSpec) => ProcessSpec;
}

/**
 * Scaffolds the job's workspace, installs the dependencies its specification declares, links the
 * shared toolchain and opens the job's sandbox and control group. `held` receives each resource as
 * soon as it exists; `onToolchain` hears the toolchain's versions.
 */
export async function prepareJob(
  deps: JobDeps,
  job: RunningJob,
  held: JobResources,
  onToolchain: (versions: Record<string, string>) => void,
): Promise<PreparedJob> {
  const { settings, jobs } = deps;
  const { id, queued, spec, signal } = job;
  const workspaceDir = queued.workspaceDir;
  const started = performance.now();
  // Generated code runs only inside the sandbox: it sees the system and the toolchain read-only,
  // its own workspace read-write, no network, no host environment, nothing of other jobs.
  const sandbox = await selectSandbox(settings.sandbox);
  const files = new JobFiles({
    dataDir: settings.dataDir,
    jobId: id,
    workspaceDir,
    spec,
    installTimeoutMs: settings.installTimeoutMs,
    outputCapBytes: settings.outputCapBytes,
    ...(sandbox.kind === 'none' ? {} : { sandbox }),
  });
  held.files = files;
  await files.scaffold();
  if (Object.keys(spec.dependencies).length > 0) {
    await jobs.update(id, () => ({}), `Installing dependencies: ${Object.keys(spec.dependencies).join(', ')}`);
    await files.installDependencies(signal);
  }
  const toolchain = await ensureToolchain(settings.dataDir, { signal });
  onToolchain(toolchain.versions);
  await files.restore(toolchain);
  const wrapped = openJobSandbox(deps, job, sandbox, files);
  held.group = wrapped.group;
  const clock = new PhaseClock(0);
  clock.add('setup', performance.now() - started);
  await jobs.update(
    id,
    (job) => ({ sandbox: sandbox.kind === 'none' ? 'none' : wrapped.described, phases: appendPhases(job.phases, clock.list()) }),
    `Sandbox: ${wrapped.described}`,
  );
  return { files, toolchain, group: wrapped.group, wrap: wrapped.wrap };
}

/** The job's sandbox policy and control group, the wrapper they make for each tool run, and its description. */
function openJobSandbox(
  deps: JobDeps,
  job: RunningJob,
  sandbox: Sandbox,
  files: JobFiles,
): { group: ResourceGroup | undefined; wrap: (spec: ProcessSpec) => ProcessSpec; described: string } {
  const { settings } = deps;
  const policy = jobSandboxPolicy({
    dataDir: settings.dataDir,
    workspaceDir: job.queued.workspaceDir,
    commandTimeoutMs: settings.commandTimeoutMs,
    dependencyDir: files.dependencyDir,
    configFiles: files.configBinds(),
  });
  // Memory and process counts are bounded for the job as a whole, by a control group per job.
  const group = sandbox.kind === 'none' ? undefined : openResourceGroup(`job-${job.id}`, jobGroupBounds(settings));
  const wrap = (spec: ProcessSpec): ProcessSpec => {
    const sandboxed = sandbox.wrap(spec, policy);
    return group ? group.wrap(sandboxed) : sandboxed;
  };
  const bounds = group
    ? `${group.kind}: ${settings.jobMemoryMb} MB memory, ${settings.jobMaxProcesses} processes`
    : 'memory and process counts not bounded (no control group)';
  const described = `${sandbox.kind} (${bounds}; workspace ${settings.workspaceLimitMb} MB; CPU ${policy.limits.cpuSeconds} s and files ${policy.limits.fileBytes / 1024 / 1024} MB per process)`;
  return { group, wrap, described };
}
