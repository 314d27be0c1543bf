import type { ProcessSpec } from '../../shared/process-runner.js';
import { openResourceGroup, selectSandbox, type ResourceGroup, type Sandbox } from '../../shared/sandbox/index.js';
import { jobGroupBounds, jobSandboxPolicy, jobSandboxWrap } from '../job-sandbox.js';
import { JobFiles } from '../pipeline/job-files.js';
import { appendPhases, PhaseClock } from '../pipeline/phase-times.js';
import type { PipelineWorkers } from '../pipeline/run-pipeline.js';
import type { AdoptedSpare } from '../spare/spare-pool.js';
import { ensureToolchain, type Toolchain } from '../toolchain/index.js';
import type { JobDeps, RunningJob } from './job-context.js';

/** What a job holds that must be released when it ends, however it ends (filled in as it is acquired). */
export interface JobResources {
  files?: JobFiles;
  group?: ResourceGroup;
}

/** A job's workspace ready for the pipeline: its files, the toolchain and how every tool run is wrapped. */
export interface PreparedJob {
  /** The workspace the job works in: its own, or the warm spare's it adopted. */
  workspaceDir: string;
  files: JobFiles;
  toolchain: Toolchain;
  group: ResourceGroup | undefined;
  wrap: (spec: ProcessSpec) => ProcessSpec;
  /** The warm spare's workers, when the job adopted it; otherwise the pipeline starts its own. */
  workers?: PipelineWorkers;
}

/**
 * Scaffolds the job's workspace, installs the dependencies its specification declares, links the
 * shared toolchain and opens the job's sandbox and control group, or adopts the warm spare (its
 * workspace, workers and control group) when the job can use it. `held` receives each resource as
 * soon as it exists; `onToolchain` hears the toolchain's versions.
 */
export async function prepareJob(
  deps: JobDeps,
  job: RunningJob,
  held: JobResources,
  onToolchain: (versions: Record<string, string>) => void,
): Promise<PreparedJob> {
  const { settings, jobs } = deps;
  const { id, spec, signal } = job;
  const started = performance.now();
  // Generated code runs only inside the sandbox: it sees the system and the toolchain read-only,
  // its own workspace read-write, no network, no host environment, nothing of other jobs.
  const sandbox = await selectSandbox(settings.sandbox);
  const toolchain = await ensureToolchain(settings.dataDir, { signal });
  onToolchain(toolchain.versions);
  const taken = await adoptSpare(deps, job, toolchain);
  const adopted = 'spare' in taken ? taken : undefined;
  const refused = 'refused' in taken ? taken.refused : undefined;
  try {
    const workspaceDir = adopted ? adopted.spare.workspaceDir : job.queued.workspaceDir;
    if (adopted) held.group = adopted.spare.group;
    // The job's record names the folder it works in from now on (kept, listed and removed with the job).
    await jobs.update(
      id,
      () => (adopted ? { workspaceDir } : {}),
      adopted
        ? `Toolchain: adopted the warm spare (started ${Math.round((Date.now() - adopted.spare.startedAt) / 100) / 10} s before; workspace ${workspaceDir})`
        : `Toolchain: fresh workers (${refused ?? 'no warm spare'})`,
    );
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
    await files.restore(toolchain);
    const wrapped = openJobSandbox(deps, job, sandbox, files, workspaceDir, adopted?.spare.group);
    held.group = wrapped.group;
    const clock = new PhaseClock(0);
    clock.add('setup', performance.now() - started, adopted ? 'warm spare toolchain adopted' : 'fresh toolchain workers');
    const workers = adopted ? adoptedWorkers(adopted, files) : undefined;
    if (workers) await workers.beforeStep?.();
    await jobs.update(
      id,
      (job) => ({
        sandbox: sandbox.kind === 'none' ? 'none' : wrapped.described,
        phases: appendPhases(job.phases, clock.list()),
      }),
      `Sandbox: ${wrapped.described}`,
    );
    return { workspaceDir, files, toolchain, group: wrapped.group, wrap: wrapped.wrap, ...(workers ? { workers } : {}) };
  } catch (error) {
    await adopted?.release();
    throw error;
  }
}

/** The warm spare when this job can use it, or why it gets fresh workers. */
async function adoptSpare(deps: JobDeps, job: RunningJob, toolchain: Toolchain): Promise<AdoptedSpare | { refused: string }> {
  if (!deps.spares) return { refused: deps.settings.warmToolchain ? 'no warm spare here' : 'PLUGIN_DYNAMIC_WARM_TOOLCHAIN is off' };
  const dependencies = Object.keys(job.spec.dependencies);
  // A job with dependencies binds its dependency folder into the sandbox, which a started spare's cannot take.
  if (dependencies.length > 0) return { refused: `its specification declares dependencies (${dependencies.join(', ')}): they need workers started with them` };
  return deps.spares.take((spare) => spare.toolchainMismatch(toolchain));
}

/** The adopted spare's workers for the pipeline: its configuration files follow the job's before every step. */
function adoptedWorkers(adopted: AdoptedSpare, files: JobFiles): PipelineWorkers {
  return {
    check: adopted.spare.workers.check,
    test: adopted.spare.workers.test,
    scan: adopted.spare.workers.scan,
    beforeStep: () => adopted.spare.syncConfig(files.configDir),
    release: () => adopted.release(),
  };
}

/** The job's sandbox policy and control group (the adopted spare's, or its own), the wrapper they make for each tool run, and its description. */
function openJobSandbox(
  deps: JobDeps,
  job: RunningJob,
  sandbox: Sandbox,
  files: JobFiles,
  workspaceDir: string,
  spareGroup: ResourceGroup | undefined,
): { group: ResourceGroup | undefined; wrap: (spec: ProcessSpec) => ProcessSpec; described: string } {
  const { settings } = deps;
  const policy = jobSandboxPolicy({
    dataDir: settings.dataDir,
    workspaceDir,
    commandTimeoutMs: settings.commandTimeoutMs,
    dependencyDir: files.dependencyDir,
    configFiles: files.configBinds(),
  });
  // Memory and process counts are bounded for the job as a whole, by a control group per job.
  const group = spareGroup ?? (sandbox.kind === 'none' ? undefined : openResourceGroup(`job-${job.id}`, jobGroupBounds(settings)));
  const wrap = jobSandboxWrap(sandbox, policy, group);
  const bounds = group
    ? `${group.kind}: ${settings.jobMemoryMb} MB memory, ${settings.jobMaxProcesses} processes`
    : 'memory and process counts not bounded (no control group)';
  const described = `${sandbox.kind} (${bounds}; workspace ${settings.workspaceLimitMb} MB; CPU ${policy.limits.cpuSeconds} s and files ${policy.limits.fileBytes / 1024 / 1024} MB per process)`;
  return { group, wrap, described };
}
