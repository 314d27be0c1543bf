import { readdir, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { join } from 'node:path';
import type { Sandbox } from '../../shared/sandbox/index.js';
import { mergePermissions, type PermissionsAddition } from '../../management/permissions/merge-permissions.js';
import type { PluginPermissions } from '../../management/permissions/plugin-permissions.js';
import type { GeneratedFile } from '../generators/generator.js';
import type { PluginSpec } from '../spec/plugin-spec.js';
import type { Toolchain } from '../toolchain/index.js';
import { pipelineConfigFiles, restoreWorkspaceConfig, scaffoldWorkspace } from '../workspace/index.js';
import { installDependencyFolder, linkWorkspaceModules } from './dependency-folder.js';
import { ShippedBuilder, type ShipCompiler, type ShippedBuild } from './shipped-build.js';

export interface JobFilesOptions {
  dataDir: string;
  jobId: string;
  workspaceDir: string;
  spec: PluginSpec;
  installTimeoutMs: number;
  outputCapBytes: number;
  /** npm runs in it when given. */
  sandbox?: Sandbox;
}

/**
 * The folders of one creation job that the agent owns around the workspace, and what it keeps
 * there for itself: the dependency folder (npm's, read-only to the job's tools), the pipeline's own
 * configuration (put back before every step), and the shipped build (made after the checks).
 */
export class JobFiles {
  /** The specification's dependencies plus any a generator added (validated before they get here). */
  readonly dependencies: Record<string, string>;
  /** The specification's permissions plus what a generator's code needs besides; written into package.json. */
  private permissions: PluginPermissions;
  private dependencyModules: string | undefined;

  constructor(private readonly opts: JobFilesOptions) {
    this.dependencies = { ...opts.spec.dependencies };
    this.permissions = mergePermissions(opts.spec.permissions, undefined);
  }

  /** The specification as the job's package.json is written from it: with the merged permissions. */
  private get spec(): PluginSpec {
    return { ...this.opts.spec, permissions: this.permissions };
  }

  /** What the generated package.json declares in `agentConfig.permissions`. */
  get declaredPermissions(): PluginPermissions {
    return this.permissions;
  }

  /** Where npm installs the job's dependencies: outside the workspace, bound read-only into the job's sandbox. */
  get dependencyDir(): string {
    return join(this.opts.dataDir, 'dependencies', this.opts.jobId);
  }

  /** The pipeline's own copies of the workspace's configuration, bound read-only over it in the sandbox. */
  get configDir(): string {
    return join(this.opts.dataDir, 'job-config', this.opts.jobId);
  }

  /** Each configuration file of the pipeline's, and where it is bound in the workspace. */
  configBinds(): { source: string; target: string }[] {
    return Object.keys(pipelineConfigFiles(this.spec)).map((name) => ({ source: join(this.configDir, name), target: join(this.opts.workspaceDir, name) }));
  }

  /** Where the shipped build is made. */
  get shippedDir(): string {
    return join(this.opts.dataDir, 'shipped', this.opts.jobId);
  }

  async scaffold(): Promise<void> {
    await scaffoldWorkspace(this.opts.workspaceDir, this.spec, this.dependencies);
    await this.writeConfigCopies();
  }

  private async writeConfigCopies(): Promise<void> {
    for (const [name, content] of Object.entries(pipelineConfigFiles(this.spec, this.dependencies))) {
      await writeFileAtomic(join(this.configDir, name), content);
    }
  }

  /** Installs the dependencies from a fresh folder holding only a package.json made from them. */
  async installDependencies(signal: AbortSignal): Promise<void> {
    if (Object.keys(this.dependencies).length === 0) return;
    this.dependencyModules = await installDependencyFolder(this.dependencyDir, this.dependencies, {
      dataDir: this.opts.dataDir,
      timeoutMs: this.opts.installTimeoutMs,
      outputCapBytes: this.opts.outputCapBytes,
      signal,
      ...(this.opts.sandbox ? { sandbox: this.opts.sandbox } : {}),
    });
  }

  /** Adds dependencies a generator asked for; true when something new was installed. */
  async addDependencies(dependencies: Record<string, string>, signal: AbortSignal): Promise<boolean> {
    const before = JSON.stringify(this.dependencies);
    Object.assign(this.dependencies, dependencies);
    if (JSON.stringify(this.dependencies) === before) return false;
    await this.writeConfigCopies();
    await this.installDependencies(signal);
    return true;
  }

  /**
   * Adds permissions a generator's code needs (GenerationResult.permissions) to the package.json's
   * `agentConfig.permissions`; true when that changed it (the configuration copies are rewritten then).
   */
  async addPermissions(extra: PermissionsAddition): Promise<boolean> {
    const merged = mergePermissions(this.permissions, extra);
    if (JSON.stringify(merged) === JSON.stringify(this.permissions)) return false;
    this.permissions = merged;
    await this.writeConfigCopies();
    return true;
  }

  /** The pipeline's configuration and node_modules put back, whatever a test did to them. */
  async restore(toolchain: Toolchain): Promise<void> {
    await restoreWorkspaceConfig(this.opts.workspaceDir, this.spec, this.dependencies);
    await linkWorkspaceModules(this.opts.workspaceDir, toolchain, this.dependencyModules);
  }

  /** Starts the shipped build of sources that just passed the checks, so `ship` can take it if they stay the same. */
  prepareShip(toolchain: Toolchain, sources: GeneratedFile[], opts: { timeoutMs: number; signal: AbortSignal; compiler?: ShipCompiler }): void {
    this.shippedBuilder(toolchain, opts).prepare(sources, opts.compiler);
  }

  /** The shipped build from the accepted sources, with its hash: the one already made from the same sources, or a new one. */
  ship(toolchain: Toolchain, sources: GeneratedFile[], opts: { timeoutMs: number; signal: AbortSignal }): Promise<ShippedBuild> {
    return this.shippedBuilder(toolchain, opts).ship(sources);
  }

  private builder: ShippedBuilder | undefined;

  private shippedBuilder(toolchain: Toolchain, opts: { timeoutMs: number; signal: AbortSignal }): ShippedBuilder {
    this.builder ??= new ShippedBuilder(() => ({
      dir: this.shippedDir,
      // With the permissions as merged so far (a generator adds them before the checks, so before any build starts).
      spec: this.spec,
      // The dependencies as they are when the build starts: one added later changes the key.
      dependencies: { ...this.dependencies },
      toolchain,
      ...(this.dependencyModules ? { dependencyModules: this.dependencyModules } : {}),
      timeoutMs: opts.timeoutMs,
      outputCapBytes: this.opts.outputCapBytes,
      signal: opts.signal,
    }));
    return this.builder;
  }

  /** Removes the dependency folder, the configuration copies and the shipped build (the installed copy is the plugin's own). */
  async dispose(): Promise<void> {
    await this.builder?.settle();
    await Promise.all([this.dependencyDir, this.configDir, this.shippedDir].map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/**
 * Removes what crashed jobs left in the agent's own per-job folders (dependencies, configuration
 * copies, shipped builds): every entry whose job is not in `running`.
 */
export async function sweepJobFiles(dataDir: string, running: ReadonlySet<string>): Promise<void> {
  for (const kind of ['dependencies', 'job-config', 'shipped']) {
    const root = join(dataDir, kind);
    for (const name of await readdir(root).catch(() => [] as string[])) {
      if (!running.has(name)) await rm(join(root, name), { recursive: true, force: true });
    }
  }
}
