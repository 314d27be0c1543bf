import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginDynamicConfig } from '../../config.js';
import { openResourceGroup, selectSandbox, type ResourceGroup } from '../../shared/sandbox/index.js';
import { jobGroupBounds, jobSandboxPolicy, jobSandboxWrap } from '../job-sandbox.js';
import { JobFiles } from '../pipeline/job-files.js';
import { parsePluginSpec } from '../spec/index.js';
import { CheckWorker } from '../steps/index.js';
import { ScanWorker } from '../validate/scan-worker.js';
import { practise } from './spare-practice.js';
import { ensureToolchain, type Toolchain } from '../toolchain/index.js';

/** A spare's workspace is `<data>/workspaces/spare-<id>`: the folder a job that adopts it works in. */
export const SPARE_PREFIX = 'spare-';

/** The specification a spare's workspace is scaffolded from: no dependencies, nothing to generate. */
const SPARE_SPEC = parsePluginSpec({
  name: 'plugin-warm-spare',
  description: 'A warm toolchain workspace waiting for a creation job',
  version: '0.1.0',
  // One action: the practice run (spare-practice.ts) checks a plugin of every part a job's has.
  actions: [{ name: 'practiceRun', description: 'Warms the tools on a plugin like the ones jobs make', parameters: { text: 'string' } }],
});

/** The warm workers of a workspace, as the pipeline takes them; the scanner reads no workspace (it is sent the sources). */
export interface WarmWorkers {
  check: CheckWorker;
  test: CheckWorker;
  scan: ScanWorker;
}

/**
 * One spare: a workspace scaffolded in the data folder, its checker (tsc + ESLint) and test runner
 * (Vitest) started and warming in a sandbox and control group made as a job's are, so a job that
 * adopts it finds its tools loaded and practised (one run of every check on a plugin of its own,
 * removed after). The sandbox's binds are fixed when bubblewrap starts, so the
 * adopting job works in this workspace (the folder, not a copy), and its configuration is written
 * into the very files bound over the workspace's (syncConfig).
 */
export class WarmSpare {
  private readonly endListeners = new Set<() => void>();
  private retired: Promise<void> | undefined;
  /** The practice run on the spare's own plugin; settles (never rejects) when its files are removed. */
  practised: Promise<void> = Promise.resolve();
  /** Stops the practice run when the spare is retired. */
  private readonly practice = new AbortController();

  private constructor(
    readonly id: string,
    readonly workspaceDir: string,
    private readonly files: JobFiles,
    readonly toolchain: Toolchain,
    readonly group: ResourceGroup | undefined,
    readonly workers: WarmWorkers,
    readonly startedAt: number,
  ) {
    for (const worker of [workers.check, workers.test]) worker.onEnd(() => this.endListeners.forEach((listener) => listener()));
  }

  /** Scaffolds a spare workspace and starts its two workers warming. Whatever it made is removed if it fails. */
  /** `practise: false` leaves out the practice run (the workers then start as a job's own do). */
  static async start(settings: PluginDynamicConfig, signal: AbortSignal, opts: { id?: string; practise?: boolean } = {}): Promise<WarmSpare> {
    const id = opts.id ?? randomUUID();
    const name = `${SPARE_PREFIX}${id}`;
    const workspaceDir = join(settings.dataDir, 'workspaces', name);
    const files = new JobFiles({
      dataDir: settings.dataDir,
      jobId: name,
      workspaceDir,
      spec: SPARE_SPEC,
      installTimeoutMs: settings.installTimeoutMs,
      outputCapBytes: settings.outputCapBytes,
    });
    let group: ResourceGroup | undefined;
    try {
      const sandbox = await selectSandbox(settings.sandbox);
      const toolchain = await ensureToolchain(settings.dataDir, { signal });
      await files.scaffold();
      await files.restore(toolchain);
      signal.throwIfAborted();
      const policy = jobSandboxPolicy({ dataDir: settings.dataDir, workspaceDir, commandTimeoutMs: settings.commandTimeoutMs, configFiles: files.configBinds() });
      // The same bounds as a job's: the job that adopts the spare keeps this group as its own.
      group = sandbox.kind === 'none' ? undefined : openResourceGroup(name, jobGroupBounds(settings));
      const wrap = jobSandboxWrap(sandbox, policy, group);
      const workers = {
        check: new CheckWorker(workspaceDir, wrap, settings.outputCapBytes, 'check'),
        test: new CheckWorker(workspaceDir, wrap, settings.outputCapBytes, 'test'),
        // As a job's pipeline makes it: its own sandbox and control group, not the job's.
        scan: new ScanWorker(),
      };
      const spare = new WarmSpare(id, workspaceDir, files, toolchain, group, workers, Date.now());
      try {
        await Promise.all([workers.check.warm(signal), workers.test.warm(signal), workers.scan.warm(signal)]);
      } catch (error) {
        await spare.retire();
        throw error;
      }
      const ctx = {
        workspaceDir,
        toolchain,
        timeoutMs: settings.commandTimeoutMs,
        outputCapBytes: settings.outputCapBytes,
        signal: AbortSignal.any([signal, spare.practice.signal]),
        worker: workers.check,
        testWorker: workers.test,
        wrap,
      };
      if (opts.practise !== false) spare.practised = practise(SPARE_SPEC, ctx, `warm spare ${id} practice run`);
      return spare;
    } catch (error) {
      await group?.dispose();
      await files.dispose();
      await rm(workspaceDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The job-config folder name its configuration lives under (kept by the job-file sweep while it is alive). */
  get filesName(): string {
    return `${SPARE_PREFIX}${this.id}`;
  }

  /** Whether both workers still run. */
  get alive(): boolean {
    return this.retired === undefined && this.workers.check.running && this.workers.test.running;
  }

  /** Calls `listener` when one of its workers ends, whatever ended it. */
  onWorkerEnd(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Stops hearing about its workers' ends: a job that adopted it owns them now. */
  detach(): void {
    this.endListeners.clear();
  }

  /** Why a job with this toolchain cannot use the spare; undefined when it can. */
  toolchainMismatch(toolchain: Toolchain): string | undefined {
    if (toolchain.nodeModules !== this.toolchain.nodeModules || JSON.stringify(toolchain.versions) !== JSON.stringify(this.toolchain.versions)) {
      return 'the toolchain changed since the warm spare started';
    }
    return undefined;
  }

  /**
   * Writes the job's configuration (its copies in `fromDir`) into the spare's configuration files,
   * which bubblewrap bound over the workspace's when the workers started. Written in place (same
   * file, truncated): a replacing rename would leave the sandbox seeing the old file. The workers
   * are idle when this runs (before each step), so no tool reads a half-written file.
   */
  async syncConfig(fromDir: string): Promise<void> {
    for (const { source } of this.files.configBinds()) {
      const name = source.slice(this.files.configDir.length + 1);
      const wanted = await readFile(join(fromDir, name), 'utf8');
      const current = await readFile(source, 'utf8').catch(() => undefined);
      if (current !== wanted) await writeFile(source, wanted);
    }
  }

  /** Ends its workers and control group and removes its configuration copies and workspace: a spare no job took. Idempotent. */
  retire(): Promise<void> {
    this.retired ??= (async () => {
      this.practice.abort(new Error('The warm spare was retired.'));
      await this.release();
      // Its practice run ends with the workers; its files are removed before the workspace goes.
      await this.practised;
      await this.group?.dispose();
      await rm(this.workspaceDir, { recursive: true, force: true });
    })();
    return this.retired;
  }

  /**
   * Ends its workers and removes its configuration copies, when the job that adopted it is done with
   * them: the workspace and the control group are the job's, released with the job. Idempotent.
   */
  async release(): Promise<void> {
    this.detach();
    this.workers.check.close();
    this.workers.test.close();
    // A job's shipped build may be compiling in it now.
    this.workers.scan.closeWhenIdle();
    await this.files.dispose();
  }
}
