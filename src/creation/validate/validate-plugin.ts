import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { sandboxBoundHit, type ResourceGroup } from '../../shared/sandbox/index.js';
import { runProcess, scrubbedEnv, type ProcessSpec } from '../../shared/process-runner.js';
import { CONTRACT_DIR } from '../contract-tests/index.js';
import type { GeneratedFile } from '../generators/generator.js';
import type { PluginSpec } from '../spec/plugin-spec.js';
import type { Toolchain } from '../toolchain/toolchain.js';
import { readSourceFiles } from '../workspace/workspace-files.js';
import type { Diagnostic } from '../steps/index.js';
import { ScanWorker } from './scan-worker.js';
import type { Finding } from './static-scan.js';
import { childNode } from '../../shared/child-node.js';

/** What the import check may print before it is stopped. */
const IMPORT_OUTPUT_CAP = 1_048_576;

export interface ValidationReport {
  ok: boolean;
  /** Set when a model reviewed the code. */
  score?: number;
  findings: Finding[];
  /** Components the specification names that the built plugin does not have. */
  missing: string[];
  /** Components no test of the plugin's own refers to. */
  untested: string[];
}

// Runs in the child: prints one JSON line, then exits at once so a timer the plugin starts at load
// cannot keep it waiting for the time limit.
const LIST_COMPONENTS = `
let ns;
try {
  ns = await import(process.argv[1]);
} catch (error) {
  console.log(JSON.stringify({ importError: String((error && error.message) || error) }));
  process.exit(1);
}
const p = ns.plugin ?? ns.default;
const names = (l, k = 'name') => (Array.isArray(l) ? l.map((c) => c && c[k]) : []);
console.log(JSON.stringify({ components: p ? { actions: names(p.actions), providers: names(p.providers), evaluators: names(p.evaluators), services: names(p.services, 'serviceType') } : null }));
process.exit(0);
`;

const ChildAnswer = z.union([
  z.object({ importError: z.string() }),
  z.object({ components: z.record(z.string(), z.array(z.unknown())).nullable() }),
]);

function lastJsonLine(stdout: string): z.infer<typeof ChildAnswer> | undefined {
  try {
    const answer = ChildAnswer.safeParse(JSON.parse(stdout.trim().split('\n').pop() ?? ''));
    return answer.success ? answer.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The deterministic checks before a plugin may load: the built module (imported in a child
 * process) has every component of the specification, every component has a test, and the source
 * holds nothing dangerous.
 */
export async function validatePlugin(opts: {
  workspaceDir: string;
  spec: PluginSpec;
  toolchain: Toolchain;
  timeoutMs: number;
  signal?: AbortSignal;
  wrap?: (spec: ProcessSpec) => ProcessSpec;
  resourceGroup?: Pick<ResourceGroup, 'takeBoundsHit'>;
  /** The sources to scan (the pipeline's accepted ones); read from the workspace when omitted. */
  files?: GeneratedFile[];
  /** The job's warm scanner; without one, a scanner is started for this call and closed after it. */
  scanner?: ScanWorker;
}): Promise<ValidationReport> {
  const { spec, workspaceDir } = opts;
  // The accepted sources, not the workspace as the tests left it: a test could rewrite a source
  // after it was built, to pass the scan with code that was not what shipped.
  const files = opts.files ?? (await readSourceFiles(workspaceDir, opts.signal ? { signal: opts.signal } : {}));
  // In the scanner's own process (the agent never loads TypeScript), side by side with the import check.
  const scanner = opts.scanner ?? new ScanWorker();
  const scanning = scanner
    .scan(
      files.filter((f) => !f.path.startsWith(`${CONTRACT_DIR}/`)),
      { timeoutMs: Math.min(opts.timeoutMs, 60_000), ...(opts.signal ? { signal: opts.signal } : {}) },
    )
    .finally(() => {
      if (!opts.scanner) scanner.close();
    });
  // Awaited below; a failure that comes first (a cancelled import) must not leave it unhandled.
  scanning.catch(() => undefined);
  const findings: Finding[] = [];

  const wanted = [
    ...spec.actions.map((a) => ({ kind: 'actions' as const, name: a.actionName, refs: [a.identifier, a.actionName] })),
    ...spec.providers.map((p) => ({ kind: 'providers' as const, name: p.providerName, refs: [p.identifier, p.providerName] })),
    ...spec.services.map((s) => ({ kind: 'services' as const, name: s.serviceType, refs: [s.className, s.serviceType] })),
    ...spec.evaluators.map((e) => ({ kind: 'evaluators' as const, name: e.evaluatorName, refs: [e.identifier, e.evaluatorName] })),
  ];

  const entry = join(workspaceDir, 'dist', 'index.js');
  let built: Record<string, unknown[]> | null = null;
  if (existsSync(entry)) {
    const home = join(workspaceDir, '.home');
    const spec: ProcessSpec = {
      command: (await childNode(opts.signal)).path,
      args: ['--input-type=module', '-e', LIST_COMPONENTS, pathToFileURL(entry).href],
      cwd: workspaceDir,
      env: scrubbedEnv(home),
      timeoutMs: Math.min(opts.timeoutMs, 60_000),
      maxOutputBytes: IMPORT_OUTPUT_CAP,
      ...(opts.signal ? { signal: opts.signal } : {}),
    };
    const run = await runProcess(opts.wrap ? opts.wrap(spec) : spec);
    // A cancelled job ends here, as every other step does, rather than as a failed import.
    opts.signal?.throwIfAborted();
    const answer = lastJsonLine(run.stdout);
    if (answer && 'components' in answer) {
      built = answer.components;
      if (built === null) findings.push({ file: 'dist/index.js', line: 1, rule: 'no-plugin-export', message: 'the built module exports neither `plugin` nor a default plugin object' });
    } else {
      // A child that filled its output to the cap was stopped by it, however its exit was reported.
      const filled = Buffer.byteLength(run.stdout) >= IMPORT_OUTPUT_CAP ? ['the output-size limit'] : [];
      const bounds = [...(opts.resourceGroup?.takeBoundsHit() ?? []), ...filled, ...(run.ok ? [] : [sandboxBoundHit(run)].filter((b) => b !== undefined))];
      const why =
        answer && 'importError' in answer
          ? answer.importError
          : bounds.length > 0
            ? `it was stopped by the sandbox: ${[...new Set(bounds)].join(' and ')}`
            : run.stderr.trim().split('\n').slice(-3).join(' ') || `it ended (exit ${run.exitCode ?? run.signal ?? 'unknown'}) without naming its components`;
      findings.push({ file: 'dist/index.js', line: 1, rule: 'import-failed', message: `the built plugin could not be imported: ${why.slice(0, 400)}` });
    }
  } else {
    findings.push({ file: 'dist/index.js', line: 1, rule: 'import-failed', message: 'the build left no dist/index.js (src/index.ts is the entry)' });
  }
  // The scan's findings come first, as they did when it ran before the import check.
  findings.unshift(...(await scanning));
  // A plugin that could not be imported (or exports no plugin) lacks every component: that finding is
  // the cause, and "missing" lines for each component would only bury it.
  const missing = built
    ? wanted.filter((w) => !(built[w.kind] ?? []).includes(w.name)).map((w) => `${w.kind.slice(0, -1)} ${w.name}`)
    : [];
  const ownTests = files.filter((f) => f.path.endsWith('.test.ts') && !f.path.startsWith(`${CONTRACT_DIR}/`));
  const untested = wanted
    .filter((w) => !ownTests.some((t) => w.refs.some((r) => t.content.includes(r))))
    .map((w) => `${w.kind.slice(0, -1)} ${w.name}`);
  return { ok: findings.length === 0 && missing.length === 0 && untested.length === 0, findings, missing, untested };
}

/** Findings that explain every other one: the built plugin could not be loaded at all. */
const CAUSE_RULES = new Set(['import-failed', 'no-plugin-export']);

/**
 * The report as problems for the next iteration, causes first: a failed import or a missing plugin
 * export, then missing components, untested components, and the source scan's findings.
 */
export function validationProblems(report: ValidationReport): Diagnostic[] {
  const asDiagnostic = (f: Finding): Diagnostic => ({ tool: 'validate', file: f.file, line: f.line, code: f.rule, message: f.message });
  return [
    ...report.findings.filter((f) => CAUSE_RULES.has(f.rule)).map(asDiagnostic),
    ...report.missing.map((name) => ({ tool: 'validate' as const, code: 'missing-component', message: `The plugin does not export ${name}, which the specification declares.` })),
    ...report.untested.map((name) => ({
      tool: 'validate' as const,
      code: 'untested-component',
      message: `${name} has no test: name it (its identifier or its ElizaOS name) in a test file of your own under src/__tests__/.`,
    })),
    ...report.findings.filter((f) => !CAUSE_RULES.has(f.rule)).map(asDiagnostic),
  ];
}
