import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobSandboxPolicy } from '../src/creation/job-sandbox.js';
import { restoreContractTests } from '../src/creation/contract-tests/index.js';
import { templateFiles } from '../src/creation/generators/template/index.js';
import { parsePluginSpec } from '../src/creation/spec/index.js';
import { CheckWorker, runBuild, runLint, runTests, type StepContext } from '../src/creation/steps/index.js';
import { ensureToolchain, linkToolchain, type Toolchain } from '../src/creation/toolchain/index.js';
import { validatePlugin } from '../src/creation/validate/index.js';
import { scaffoldWorkspace, writeSourceFiles } from '../src/creation/workspace/index.js';
import type { ProcessSpec } from '../src/shared/process-runner.js';
import { bwrapSandbox, bwrapWorks, openResourceGroup, type ResourceGroup } from '../src/shared/sandbox/index.js';
import { fmt, timed } from './bench-runtime.js';

const SPEC = parsePluginSpec({
  name: '@elizaos/plugin-weather',
  description: 'Weather information plugin',
  actions: [{ name: 'getCurrentWeather', description: 'Get current weather for a location', parameters: { location: 'string' } }],
  providers: [{ name: 'weatherData', description: 'Provides weather data context' }],
});
const COMMAND_TIMEOUT_MS = 300_000;

interface Lane {
  name: string;
  dir: string;
  worker: CheckWorker;
  wrap?: (spec: ProcessSpec) => ProcessSpec;
  group?: ResourceGroup;
  times: number[];
}

/** One repair iteration as the pipeline runs it: rewrite, build, lint and test side by side, validate. */
async function iteration(lane: Lane, toolchain: Toolchain, n: number): Promise<number> {
  const { ms } = await timed(async () => {
    await writeSourceFiles(lane.dir, templateFiles(SPEC).map((f) => ({ ...f, content: `${f.content}// iteration ${n}\n` })));
    await restoreContractTests(lane.dir, SPEC);
    const ctx: StepContext = {
      workspaceDir: lane.dir,
      toolchain,
      timeoutMs: COMMAND_TIMEOUT_MS,
      outputCapBytes: 4_000_000,
      worker: lane.worker,
      ...(lane.wrap ? { wrap: lane.wrap } : {}),
      ...(lane.group ? { resourceGroup: lane.group, workspaceLimitBytes: 1024 * 1024 * 1024 } : {}),
    };
    const build = await runBuild(ctx);
    const [lint, test] = await Promise.all([runLint(ctx), runTests(ctx)]);
    for (const step of [build, lint, test]) if (!step.ok) throw new Error(`${lane.name}: ${step.step} failed: ${step.rawTail}`);
    const report = await validatePlugin({ workspaceDir: lane.dir, spec: SPEC, toolchain, timeoutMs: 60_000, ...(lane.wrap ? { wrap: lane.wrap } : {}) });
    if (!report.ok) throw new Error(`${lane.name}: validation failed: ${JSON.stringify(report)}`);
  });
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * The sandbox's cost per iteration, side by side in one run: two identical workspaces, one
 * unsandboxed and one under bubblewrap plus the job's control group (what a job really gets),
 * iterated alternately so both see the same machine.
 */
export async function benchSandbox(): Promise<void> {
  console.log('\n## Sandbox overhead per iteration (weather specification, warm checker, same run)');
  if (!(await bwrapWorks())) {
    console.log('bubblewrap does not work here: nothing to compare');
    return;
  }
  const root = await mkdtemp(join(tmpdir(), 'pd-bench-sandbox-'));
  const dataDir = join(root, 'data');
  const lanes: Lane[] = [];
  try {
    const toolchain = await ensureToolchain(dataDir);
    for (const name of ['unsandboxed', 'sandboxed']) {
      const dir = join(dataDir, 'workspaces', name);
      await scaffoldWorkspace(dir, SPEC);
      await linkToolchain(toolchain, dir);
      const lane: Lane = { name, dir, worker: undefined as unknown as CheckWorker, times: [] };
      if (name === 'sandboxed') {
        const policy = jobSandboxPolicy({ dataDir, workspaceDir: dir, commandTimeoutMs: COMMAND_TIMEOUT_MS });
        const group = openResourceGroup('bench', { memoryBytes: 2048 * 1024 * 1024, maxProcesses: 512 });
        if (group) lane.group = group;
        lane.wrap = (spec) => (group ? group.wrap(bwrapSandbox.wrap(spec, policy)) : bwrapSandbox.wrap(spec, policy));
      }
      lane.worker = new CheckWorker(dir, lane.wrap);
      lanes.push(lane);
    }
    const runs = Number(process.env['BENCH_RUNS'] ?? 5) + 1;
    for (let n = 0; n < runs; n++) for (const lane of n % 2 === 0 ? lanes : [...lanes].reverse()) lane.times.push(await iteration(lane, toolchain, n));
    for (const lane of lanes) {
      const [first = 0, ...later] = lane.times;
      console.log(`${lane.name}${lane.group ? ` (bwrap + ${lane.group.kind})` : ''}: first ${fmt(first)}; later median ${fmt(median(later))} [${later.map(fmt).join(', ')}]`);
    }
    const [plain, boxed] = lanes.map((l) => median(l.times.slice(1)));
    console.log(`overhead per repair iteration: ${fmt((boxed ?? 0) - (plain ?? 0))} (${((((boxed ?? 0) / (plain || 1)) - 1) * 100).toFixed(0)}%)`);
  } finally {
    for (const lane of lanes) {
      lane.worker.close();
      await lane.group?.dispose();
    }
    await rm(root, { recursive: true, force: true });
  }
}
