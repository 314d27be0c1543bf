import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginCreationService } from '../src/creation/plugin-creation-service.js';
import { parsePluginSpec } from '../src/creation/spec/index.js';
import { CheckWorker } from '../src/creation/steps/index.js';
import { ensureToolchain, linkToolchain, type Toolchain } from '../src/creation/toolchain/index.js';
import { ScanWorker } from '../src/creation/validate/scan-worker.js';
import { scaffoldWorkspace } from '../src/creation/workspace/index.js';
import { runAction } from '../src/cli/run-action.js';
import { runProcess, scrubbedEnv } from '../src/shared/process-runner.js';
import { fmt, startBenchRuntime, timed } from './bench-runtime.js';
import { PLUGIN_CREATION_SERVICE } from '../src/service-types.js';
import { PhaseClock, phaseText, type PhaseTime } from '../src/creation/pipeline/phase-times.js';
import { spareFirstIterations } from './creation-spare.js';
import { iteration, SPEC } from './creation-iteration.js';

/** What the product's documentation's loop installs in every fresh workspace. */
const NAIVE_DEV_DEPENDENCIES = ['typescript@5.9', 'eslint@9', '@eslint/js@9', 'typescript-eslint@8', 'vitest@3', '@types/node@20', '@elizaos/core@1.7.2'];


/** The documented naive loop: a fresh workspace with its own `npm install` every iteration. */
async function naiveIteration(root: string, n: number): Promise<number> {
  const dir = join(root, `naive-${n}`);
  const { ms } = await timed(async () => {
    await scaffoldWorkspace(dir, parsePluginSpec(SPEC));
    const installed = await runProcess({
      command: 'npm',
      args: ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-dev', ...NAIVE_DEV_DEPENDENCIES],
      cwd: dir,
      env: scrubbedEnv(join(root, 'home'), { npm_config_cache: join(root, 'npm-cache') }),
      timeoutMs: 600_000,
      maxOutputBytes: 8_000_000,
    });
    if (!installed.ok) throw new Error(`npm install failed: ${installed.stderr.slice(-500)}`);
    const nm = join(dir, 'node_modules');
    await iteration(dir, {
      nodeModules: nm,
      bin: { tsc: join(nm, 'typescript', 'bin', 'tsc'), eslint: join(nm, 'eslint', 'bin', 'eslint.js'), vitest: join(nm, 'vitest', 'vitest.mjs') },
      versions: {},
    });
  });
  return ms;
}

/**
 * Our loop: one workspace with the shared toolchain linked and the job's two warm processes (the
 * checker and Vitest), iterated. The first iteration's time includes starting and warming them, as a
 * job's first iteration does.
 */
async function oursIterations(root: string, toolchain: Toolchain, count: number): Promise<{ ms: number; phases: PhaseTime[] }[]> {
  const dir = join(root, 'ours');
  await scaffoldWorkspace(dir, parsePluginSpec(SPEC));
  await linkToolchain(toolchain, dir);
  const warm = { check: new CheckWorker(dir, undefined, undefined, 'check'), test: new CheckWorker(dir, undefined, undefined, 'test'), scan: new ScanWorker() };
  try {
    const runs: { ms: number; phases: PhaseTime[] }[] = [];
    for (let n = 0; n < count; n++) {
      const clock = new PhaseClock(n + 1);
      const { ms } = await timed(async () => {
        if (n === 0) await Promise.all([warm.check.warm(), warm.test.warm(), warm.scan.warm()]);
        await iteration(dir, toolchain, warm, n, clock);
      });
      runs.push({ ms, phases: clock.list() });
    }
    return runs;
  } finally {
    warm.check.close();
    warm.test.close();
    warm.scan.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function benchCreation(): Promise<void> {
  console.log('\n## Plugin creation (template generator, weather specification)');
  const root = await mkdtemp(join(tmpdir(), 'pd-bench-creation-'));
  try {
    const toolchain = await ensureToolchain(join(root, 'data'));
    const runs = Number(process.env['BENCH_RUNS'] ?? 3);
    const naive: number[] = [];
    for (let i = 0; i < runs; i++) naive.push(await naiveIteration(root, i));
    const ours = await oursIterations(root, toolchain, runs + 2);
    const [firstRun, ...laterRuns] = ours;
    const first = firstRun?.ms ?? 0;
    const later = laterRuns.map((r) => r.ms);
    console.log(`one iteration, naive loop (npm install + tsc + eslint + vitest + validate in a fresh workspace): median ${fmt(median(naive))} of ${runs} [${naive.map(fmt).join(', ')}]`);
    console.log(`one iteration, plugin-dynamic: first (workers started and warmed in it) ${fmt(first)}; repair iterations median ${fmt(median(later))} [${later.map(fmt).join(', ')}]`);
    console.log(`ratio: ${(median(naive) / median(later)).toFixed(1)}x faster per repair iteration, ${(median(naive) / first).toFixed(1)}x for the first`);
    // Lint and tests run side by side, so their times overlap; every source is rewritten in each iteration.
    console.log(`  first iteration phases: ${phaseText(firstRun?.phases ?? [])}`);
    for (const run of laterRuns) console.log(`  repair iteration phases: ${phaseText(run.phases)}`);
    await spareFirstIterations(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  await benchMainJob();
}

/** The main job in a live runtime, submitted as soon as the runtime is up (its warm spare still warming). */
export async function benchMainJob(): Promise<void> {
  const { runtime, stop } = await startBenchRuntime({ PLUGIN_DYNAMIC_GENERATOR: 'template' });
  try {
    const creation = runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE);
    if (!creation) throw new Error(`${PLUGIN_CREATION_SERVICE} did not start`);
    // The main job's own specification: its actions are working recipes (the weather one above has no
    // API address setting, so its action is an honest scaffold that answers success: false).
    const notes: unknown = JSON.parse(await readFile(join(import.meta.dirname, '..', 'examples', 'notes.json'), 'utf8'));
    const { ms, value } = await timed(async () => {
      const job = await creation.createFromSpec(notes);
      const done = await creation.waitForJob(job.id);
      if (done.status !== 'succeeded') throw new Error(`job ${done.status}: ${done.error?.message}`);
      const run = await runAction(runtime, 'ADD_NOTE', 'add a note: buy milk');
      if (!run.results[0]?.success) throw new Error(`ADD_NOTE did not work: ${run.results[0]?.text ?? 'no answer'}`);
      return done;
    });
    console.log(`specification (examples/notes.json) -> plugin loaded (isolated) and answering in a live runtime: ${fmt(ms)} (iteration ${value.iterations.length}, ${value.tests?.passed}/${value.tests?.total} tests)`);
    // Submitted as soon as the runtime is up: the spare started with the service, still warming.
    console.log(`  ${value.log.find((l) => l.message.startsWith('Toolchain: '))?.message ?? 'Toolchain: (not recorded)'}`);
    // The job's own record: before the first iteration and after the last (0), then each iteration.
    const phases = value.phases ?? [];
    for (const n of [...new Set(phases.map((p) => p.iteration))].sort((a, b) => a - b)) {
      console.log(`  job phases, ${n === 0 ? 'setup, shipped build, install and load' : `iteration ${n}`}: ${phaseText(phases.filter((p) => p.iteration === n))}`);
    }
  } finally {
    await stop();
  }
}
