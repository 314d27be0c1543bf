import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractTestFiles } from '../../src/creation/contract-tests/index.js';
import { templateFiles } from '../../src/creation/generators/template/index.js';
import { jobSandboxPolicy } from '../../src/creation/job-sandbox.js';
import type { PluginSpec } from '../../src/creation/spec/index.js';
import { CheckWorker, runBuild, runLint, runTests, type Diagnostic, type StepContext } from '../../src/creation/steps/index.js';
import { ensureToolchain, linkToolchain, type Toolchain } from '../../src/creation/toolchain/index.js';
import { validatePlugin, validationProblems } from '../../src/creation/validate/index.js';
import { AcceptedSources, restoreWorkspaceConfig, scaffoldWorkspace } from '../../src/creation/workspace/index.js';
import type { ProcessSpec } from '../../src/shared/process-runner.js';
import { selectSandbox } from '../../src/shared/sandbox/index.js';

export interface GateVerdict {
  ok: boolean;
  /** The first gate that failed, in the pipeline's order. */
  failedAt?: 'build' | 'lint' | 'test' | 'validate';
  diagnostics: Diagnostic[];
  tests?: { passed: number; failed: number; total: number } | undefined;
}

const TIMEOUT_MS = 180_000;

/**
 * The pipeline's gates on the template's output, run directly: one workspace, one warm checker and
 * one shared toolchain for many specifications, in the same sandbox a creation job uses
 * (PLUGIN_DYNAMIC_SANDBOX=none runs them unsandboxed, as the service would).
 */
export class TemplateGates {
  private constructor(
    private readonly root: string,
    private readonly dir: string,
    private readonly toolchain: Toolchain,
    private readonly worker: CheckWorker,
    private readonly wrap: ((spec: ProcessSpec) => ProcessSpec) | undefined,
  ) {}

  static async open(): Promise<TemplateGates> {
    const root = await mkdtemp(join(tmpdir(), 'pd-template-gates-'));
    const dataDir = join(root, 'data');
    const dir = join(dataDir, 'workspaces', 'property');
    const toolchain = await ensureToolchain(dataDir);
    const mode = process.env['PLUGIN_DYNAMIC_SANDBOX'] === 'none' ? 'none' : 'auto';
    const sandbox = await selectSandbox(mode);
    const policy = jobSandboxPolicy({ dataDir, workspaceDir: dir, commandTimeoutMs: TIMEOUT_MS });
    const wrap = sandbox.kind === 'none' ? undefined : (spec: ProcessSpec): ProcessSpec => sandbox.wrap(spec, policy);
    return new TemplateGates(root, dir, toolchain, new CheckWorker(dir, wrap), wrap);
  }

  /** Writes the template's plugin for a specification over the last one and runs every gate on it. */
  async check(spec: PluginSpec): Promise<GateVerdict> {
    await scaffoldWorkspace(this.dir, spec);
    await restoreWorkspaceConfig(this.dir, spec);
    await linkToolchain(this.toolchain, this.dir);
    const sources = new AcceptedSources(this.dir, contractTestFiles(spec));
    await sources.accept(templateFiles(spec));
    const ctx: StepContext = { workspaceDir: this.dir, toolchain: this.toolchain, timeoutMs: TIMEOUT_MS, outputCapBytes: 4_194_304, worker: this.worker, ...(this.wrap ? { wrap: this.wrap } : {}) };
    const build = await runBuild(ctx);
    if (!build.ok) return { ok: false, failedAt: 'build', diagnostics: build.diagnostics.length ? build.diagnostics : [{ tool: 'tsc', message: build.rawTail }] };
    const [lint, test] = await Promise.all([runLint(ctx), runTests(ctx)]);
    if (!lint.ok) return { ok: false, failedAt: 'lint', diagnostics: lint.diagnostics.length ? lint.diagnostics : [{ tool: 'eslint', message: lint.rawTail }], tests: test.tests };
    if (!test.ok) return { ok: false, failedAt: 'test', diagnostics: test.diagnostics.length ? test.diagnostics : [{ tool: 'vitest', message: test.rawTail }], tests: test.tests };
    const report = await validatePlugin({ workspaceDir: this.dir, spec, toolchain: this.toolchain, timeoutMs: TIMEOUT_MS, files: sources.list(), ...(this.wrap ? { wrap: this.wrap } : {}) });
    if (!report.ok) return { ok: false, failedAt: 'validate', diagnostics: validationProblems(report), tests: test.tests };
    return { ok: true, diagnostics: [], tests: test.tests };
  }

  async close(): Promise<void> {
    this.worker.close();
    await rm(this.root, { recursive: true, force: true });
  }
}
