import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { JobFiles } from '../src/creation/pipeline/job-files.js';
import { PhaseClock, phaseText } from '../src/creation/pipeline/phase-times.js';
import { WarmSpare } from '../src/creation/spare/warm-spare.js';
import { parsePluginSpec } from '../src/creation/spec/index.js';
import { fmt, timed } from './bench-runtime.js';
import { iteration, SPEC } from './creation-iteration.js';

/** How long the spare waits before the job arrives: in an agent it waits minutes; long enough here to be warm. */
const SPARE_WAIT_MS = Number(process.env['BENCH_SPARE_WAIT_MS'] ?? 6_000);

const MODES = ['with', 'with-unpractised', 'without'] as const;
type Mode = (typeof MODES)[number];
const LABELS: Record<Mode, string> = {
  with: 'adopting the warm spare (started, warmed and practised before the job)',
  'with-unpractised': 'adopting a spare that was only warmed (libraries parsed, rules and Vitest loaded; no practice run)',
  without: 'without a spare (workers started in it)',
};

/**
 * A job's first iteration in the job's sandbox and control group (bubblewrap, as the service runs
 * jobs), two ways: with the warm spare (started and warmed before the job; the job adopts its
 * workspace and workers, writes its configuration and runs) and without (the workers start with the
 * iteration, as a job that cannot adopt one does).
 */
export async function spareFirstIterations(root: string): Promise<void> {
  const runs = Number(process.env['BENCH_SPARE_RUNS'] ?? 2);
  const settings = loadConfig((key) => ({ PLUGIN_DYNAMIC_DATA_DIR: join(root, 'spare-data') })[key]);
  const spec = parsePluginSpec(SPEC);
  const results: Record<Mode, { ms: number; phases: string }[]> = { with: [], 'with-unpractised': [], without: [] };
  for (let n = 0; n < runs; n++) {
    for (const mode of MODES) {
      const clock = new PhaseClock(1);
      const signal = new AbortController().signal;
      let spare: WarmSpare | undefined;
      if (mode !== 'without') {
        spare = await WarmSpare.start(settings, signal, { practise: mode === 'with' });
        await new Promise((resolve) => setTimeout(resolve, SPARE_WAIT_MS));
        // As SparePool.take does: a job never finds the practice run's files.
        await spare.practised;
      }
      try {
        const { ms } = await timed(async () => {
          // A job that cannot adopt one: its workers start with its pipeline, nothing practised.
          spare ??= await WarmSpare.start(settings, signal, { practise: false });
          // As prepareJob does with an adopted spare: the job's configuration, written into the bound files.
          const files = new JobFiles({ dataDir: settings.dataDir, jobId: `bench-${mode}-${n}`, workspaceDir: spare.workspaceDir, spec, installTimeoutMs: 60_000, outputCapBytes: 4_000_000 });
          await files.scaffold();
          await spare.syncConfig(files.configDir);
          // The toolchain of the spare's data folder: the one its sandbox binds.
          await files.restore(spare.toolchain);
          await iteration(spare.workspaceDir, spare.toolchain, spare.workers, n, clock);
          await files.dispose();
        });
        results[mode].push({ ms, phases: phaseText(clock.list()) });
      } finally {
        await spare?.retire();
      }
    }
  }
  for (const mode of MODES) {
    const label = LABELS[mode];
    console.log(`first iteration in the job sandbox, ${label}: [${results[mode].map((r) => fmt(r.ms)).join(', ')}]`);
    for (const r of results[mode]) console.log(`  phases: ${r.phases}`);
  }
}
