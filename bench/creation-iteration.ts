import type { Toolchain } from '../src/creation/toolchain/index.js';
import { restoreContractTests } from '../src/creation/contract-tests/index.js';
import { templateFiles } from '../src/creation/generators/template/index.js';
import { parsePluginSpec } from '../src/creation/spec/index.js';
import { runBuild, runLint, runTests, type CheckWorker } from '../src/creation/steps/index.js';
import { validatePlugin } from '../src/creation/validate/index.js';
import type { ScanWorker } from '../src/creation/validate/scan-worker.js';
import { writeSourceFiles } from '../src/creation/workspace/index.js';
import type { PhaseClock } from '../src/creation/pipeline/phase-times.js';

/** The specification the creation benchmarks build, and one iteration's gates as the pipeline runs them. */
export const SPEC = {
  name: '@elizaos/plugin-weather',
  description: 'Weather information plugin',
  version: '1.0.0',
  actions: [{ name: 'getCurrentWeather', description: 'Get current weather for a location', parameters: { location: 'string' } }],
  providers: [{ name: 'weatherData', description: 'Provides weather data context' }],
};

export interface Warm {
  check: CheckWorker;
  test: CheckWorker;
  /** The job's warm scanner (validate's static scan), as the pipeline keeps one per job. */
  scan?: ScanWorker;
}

/** One iteration's gates, as the pipeline runs them; its phase times are added to `clock` when given. */
export async function iteration(dir: string, toolchain: Toolchain, warm?: Warm, n = 0, clock?: PhaseClock): Promise<void> {
  const spec = parsePluginSpec(SPEC);
  // Every iteration rewrites the sources (a repair changes them), so nothing is skipped as unchanged.
  await writeSourceFiles(dir, templateFiles(spec).map((f) => ({ ...f, content: `${f.content}// iteration ${n}\n` })));
  await restoreContractTests(dir, spec);
  const ctx = { workspaceDir: dir, toolchain, timeoutMs: 300_000, outputCapBytes: 4_000_000, ...(warm ? { worker: warm.check, testWorker: warm.test } : {}) };
  // As the pipeline does with warm workers: the tests beside the build, then lint beside what is left of them;
  // one gate after the other without workers.
  const testing = warm ? runTests(ctx) : undefined;
  testing?.catch(() => undefined);
  const build = await runBuild(ctx);
  if (!build.ok) throw new Error(`build failed: ${JSON.stringify(build.diagnostics)}`);
  const lint = await runLint(ctx);
  const test = testing ? await testing : await runTests(ctx);
  for (const result of [lint, test]) if (!result.ok) throw new Error(`${result.step} failed: ${result.rawTail}`);
  const started = performance.now();
  const report = await validatePlugin({ workspaceDir: dir, spec, toolchain, timeoutMs: 60_000, ...(warm?.scan ? { scanner: warm.scan } : {}) });
  clock?.add('tsc', build.durationMs);
  clock?.add('eslint', lint.durationMs);
  clock?.add('vitest', test.durationMs);
  clock?.add('validate', performance.now() - started);
  if (!report.ok) throw new Error(`validation failed: ${JSON.stringify(report)}`);
}
