import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isPluginDynamicError, PluginDynamicError } from '../../errors.js';
import { runProcess, scrubbedEnv } from '../../shared/process-runner.js';
import { safeWriteFile } from '../../shared/safe-fs/index.js';
import { hashTree } from '../../shared/tree-hash.js';
import type { GeneratedFile } from '../generators/generator.js';
import type { PluginSpec } from '../spec/plugin-spec.js';
import { linkToolchain, type Toolchain } from '../toolchain/index.js';
import type { Emitted } from '../validate/scan-worker.js';
import { pipelineConfigFiles, WORKSPACE_TSCONFIG } from '../workspace/index.js';
import { linkDependencies } from './dependency-folder.js';

/** The folder the shipped build is made in, and the hash of what it ships (sha256 over dist/). */
export interface ShippedBuild {
  dir: string;
  sha256: string;
  files: number;
  /** Set when a build made earlier from the same sources was taken instead of building again. */
  reused?: string;
  /** What compiled it: the job's warm scanner, or a tsc started for it. */
  compiler: 'warm scanner' | 'tsc';
}

/**
 * The job's trusted, warm compiler (its scanner): compiles each file on its own, in memory. The
 * job's build type-checked the same sources with verbatimModuleSyntax (so isolatedModules), which
 * makes each file's JavaScript exactly what a whole-program tsc emits.
 */
export interface ShipCompiler {
  emit(files: readonly GeneratedFile[], compilerOptions: Record<string, unknown>, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<Emitted>;
}

/** Tests never ship: the build leaves them out, so dist/ holds exactly what the package publishes. */
export function isShippedSource(path: string): boolean {
  return !/\.test\.ts$/.test(path) && !path.startsWith('src/__tests__/') && !path.startsWith('src/__contract__/');
}

const SHIPPED_TSCONFIG = { ...WORKSPACE_TSCONFIG, exclude: ['src/**/*.test.ts', 'src/__tests__', 'src/__contract__'] };

/**
 * Builds what is installed, after every untrusted step has ended: a fresh folder outside the
 * workspace, the pipeline's own package.json and tsconfig, the accepted sources (the files the
 * checks ran on, never the workspace as the tests left it), the toolchain and the job's dependency
 * folder linked in, and the host's tsc run on it. No generated code runs here or after; the hash of
 * dist/ is recorded so the installer can check it installs these bytes.
 */
export interface ShippedBuildOptions {
  dir: string;
  spec: PluginSpec;
  dependencies: Record<string, string>;
  sources: GeneratedFile[];
  toolchain: Toolchain;
  /** node_modules of the job's dependency folder, when the plugin has dependencies. */
  dependencyModules?: string;
  /** The job's warm compiler; without it, when it fails, or when declarations need the whole program, a tsc is started. */
  compiler?: ShipCompiler;
  timeoutMs: number;
  outputCapBytes: number;
  signal: AbortSignal;
}

export async function buildShipped(opts: ShippedBuildOptions): Promise<ShippedBuild> {
  await rm(opts.dir, { recursive: true, force: true });
  await mkdir(opts.dir, { recursive: true });
  const config = pipelineConfigFiles(opts.spec, opts.dependencies);
  await safeWriteFile(opts.dir, 'package.json', config['package.json'] ?? '');
  await safeWriteFile(opts.dir, 'tsconfig.json', `${JSON.stringify(SHIPPED_TSCONFIG, null, 2)}\n`);
  const shipped = opts.sources.filter((f) => isShippedSource(f.path));
  for (const file of shipped) await safeWriteFile(opts.dir, file.path, file.content);
  if (opts.compiler) {
    const emitted = await emitWarm(opts.compiler, shipped, opts);
    if (emitted && !emitted.wholeProgram) {
      if (emitted.diagnostics.length > 0) throw shippedBuildFailed(emitted.diagnostics.map((d) => `${d.file ? `${d.file}(${d.line ?? 0}): ` : ''}error ${d.code}: ${d.message}`).join('\n'));
      for (const out of emitted.outputs) await safeWriteFile(opts.dir, out.path, out.content);
      return { dir: opts.dir, ...(await hashTree(join(opts.dir, 'dist'))), compiler: 'warm scanner' };
    }
  }
  if (opts.dependencyModules) await linkDependencies(opts.dependencyModules, opts.dir);
  await linkToolchain(opts.toolchain, opts.dir);
  const run = await runProcess({
    command: process.execPath,
    args: [opts.toolchain.bin.tsc, '-p', 'tsconfig.json', '--pretty', 'false'],
    cwd: opts.dir,
    env: scrubbedEnv(opts.dir),
    timeoutMs: opts.timeoutMs,
    maxOutputBytes: opts.outputCapBytes,
    signal: opts.signal,
  });
  if (run.cancelled || opts.signal.aborted) throw new PluginDynamicError('JOB_CANCELLED', 'Cancelled while building the shipped output.');
  if (!run.ok) throw shippedBuildFailed(`${run.stdout}\n${run.stderr}`);
  const { sha256, files } = await hashTree(join(opts.dir, 'dist'));
  return { dir: opts.dir, sha256, files, compiler: 'tsc' };
}

function shippedBuildFailed(output: string): PluginDynamicError {
  return new PluginDynamicError('GENERATION_FAILED', `The shipped build (tsc over the accepted sources, without tests) failed: ${output.trim().slice(-1_500)}`);
}

/**
 * The warm compiler's build, or undefined when the compiler itself failed (stopped, silent, or an
 * answer it was not believed for): then a tsc is started instead. Syntax errors are its answer.
 */
async function emitWarm(compiler: ShipCompiler, sources: GeneratedFile[], opts: ShippedBuildOptions): Promise<Emitted | undefined> {
  try {
    return await compiler.emit(sources, SHIPPED_TSCONFIG.compilerOptions, { timeoutMs: opts.timeoutMs, signal: opts.signal });
  } catch (error) {
    if (opts.signal.aborted) throw new PluginDynamicError('JOB_CANCELLED', 'Cancelled while building the shipped output.', { cause: error });
    if (isPluginDynamicError(error) && (error.code === 'SOURCE_SCAN_FAILED' || error.code === 'PROCESS_TIMEOUT')) return undefined;
    throw error;
  }
}

/** What a shipped build is made from: every shipped source's path and text, and the dependencies. */
export function shippedSourcesKey(sources: readonly GeneratedFile[], dependencies: Record<string, string>): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : 1))));
  for (const file of [...sources].filter((f) => isShippedSource(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`\0${file.path}\0${Buffer.byteLength(file.content)}\0`);
    hash.update(file.content);
  }
  return hash.digest('hex');
}

/**
 * One job's shipped build, started early and taken when it is wanted: `prepare` starts a build of
 * the sources the checks just passed on (beside the rest of the iteration); `ship` takes it when the
 * accepted sources are still identical (same key), and otherwise waits for it to end and builds
 * again. Both run the host's tsc on the accepted sources, never anything the sandbox made.
 */
export class ShippedBuilder {
  private pending: { key: string; build: Promise<ShippedBuild> } | undefined;

  constructor(private readonly base: () => Omit<ShippedBuildOptions, 'sources'>) {}

  /** Starts the build of `sources` unless one of the same sources is under way or done; `compiler` is the job's warm one, when it has it. */
  prepare(sources: readonly GeneratedFile[], compiler?: ShipCompiler): void {
    const opts = this.base();
    const key = shippedSourcesKey(sources, opts.dependencies);
    if (this.pending?.key === key) return;
    const before = this.pending?.build.catch(() => undefined);
    const build = (async () => {
      await before;
      return buildShipped({ ...opts, sources: [...sources], ...(compiler ? { compiler } : {}) });
    })();
    // Read by ship(), or by nobody when the job ends first.
    build.catch(() => undefined);
    this.pending = { key, build };
  }

  /** The shipped build of `sources`: the one started for them, or a new one. */
  async ship(sources: readonly GeneratedFile[]): Promise<ShippedBuild> {
    const opts = this.base();
    const key = shippedSourcesKey(sources, opts.dependencies);
    const pending = this.pending;
    if (pending?.key === key) {
      const build = await pending.build.catch(() => undefined);
      if (build) return { ...build, reused: `the build started for the same sources (sha256 ${key.slice(0, 12)})` };
    }
    await pending?.build.catch(() => undefined);
    const build = buildShipped({ ...opts, sources: [...sources] });
    this.pending = { key, build };
    return build;
  }

  /** Waits for a build still under way (before its folder is removed). */
  async settle(): Promise<void> {
    await this.pending?.build.catch(() => undefined);
  }
}
