import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runProcess } from '../src/shared/process-runner.js';
import { fmt } from './bench-runtime.js';

/*
 * CLI start-up, as a person runs the built CLI (dist/, `npm run build` first): `list`, `jobs` and
 * `status` read the snapshot the last runtime wrote, against the same command starting the headless
 * runtime (PLUGIN_DYNAMIC_CLI_READS=runtime, what every command did before). Then where a headless
 * start spends its time: imports, PGLite, migrations, plugin-dynamic's init and services.
 */
const RUNS = Number(process.env['BENCH_CLI_RUNS'] ?? 5);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function cli(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const result = await runProcess({ command: process.execPath, args: [MAIN, ...args], cwd: ROOT, env, timeoutMs: 300_000, maxOutputBytes: 4_000_000 });
  if (result.exitCode !== 0) throw new Error(`plugin-dynamic ${args.join(' ')} failed: ${result.stderr.slice(0, 2_000)}`);
  return performance.now() - started;
}

async function medianOf(args: string[], env: Record<string, string>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await cli(args, env));
  return median(times);
}

/** One headless start in a child of its own (PGLite allows one database per process), phase by phase. */
async function startPhases(dataDir: string, env: Record<string, string>, seed = true, liftoffOnly = true): Promise<Record<string, number>> {
  const url = (path: string): string => pathToFileURL(join(ROOT, path)).href;
  const script = `
const t = () => performance.now();
const phases = {};
let at = t();
const lap = (name) => { const now = t(); phases[name] = now - at; at = now; };
await import('@elizaos/core'); lap('import @elizaos/core');
await import('@elizaos/plugin-sql'); lap('import @elizaos/plugin-sql');
const { startHeadlessRuntime } = await import(${JSON.stringify(url('dist/cli/headless-runtime.js'))}); lap('import plugin-dynamic');
const runtime = await startHeadlessRuntime(${JSON.stringify(dataDir)}, (phase, ms) => { phases[phase] = ms; }${seed ? '' : ', false'});
phases['peak RSS MB'] = process.resourceUsage().maxRSS / 1024;
at = t();
await runtime.stop(); await runtime.close(); lap('stop and close');
process.stdout.write(JSON.stringify(phases));
process.exit(0);`;
  const result = await runProcess({ command: process.execPath, args: [...(liftoffOnly ? ['--liftoff-only'] : []), '--input-type=module', '-e', script], cwd: ROOT, env, timeoutMs: 300_000, maxOutputBytes: 1_000_000 });
  if (result.exitCode !== 0) throw new Error(`the headless start failed: ${result.stderr.slice(0, 2_000)}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

export async function benchCli(): Promise<void> {
  if (!existsSync(MAIN)) throw new Error('bench cli runs the built CLI: run `npm run build` first.');
  const home = await mkdtemp(join(tmpdir(), 'pd-bench-cli-'));
  const dataDir = join(home, 'data');
  const env = { PATH: process.env['PATH'] ?? '', HOME: home, LOG_LEVEL: 'error' };
  const runtimeEnv = { ...env, PLUGIN_DYNAMIC_CLI_READS: 'runtime' };
  try {
    console.log(`\n## CLI start-up (median of ${RUNS} runs each, built CLI)`);
    const fresh = await cli(['--data-dir', dataDir, 'list'], env);
    console.log(`first command on a fresh data folder (database created, migrations): ${fmt(fresh)}`);
    const version = await medianOf(['--version'], env);
    const fastList = await medianOf(['--data-dir', dataDir, 'list'], env);
    const fastJobs = await medianOf(['--data-dir', dataDir, '--json', 'jobs'], env);
    const runtimeList = await medianOf(['--data-dir', dataDir, 'list'], runtimeEnv);
    console.log('| command | median |');
    console.log('|---|---|');
    console.log(`| --version (Node and the CLI's own imports) | ${fmt(version)} |`);
    console.log(`| list, from the closed snapshot | ${fmt(fastList)} |`);
    console.log(`| jobs --json, from the closed snapshot | ${fmt(fastJobs)} |`);
    console.log(`| list, starting the headless runtime | ${fmt(runtimeList)} |`);
    console.log(`list: ${(runtimeList / fastList).toFixed(1)}x faster without the runtime`);

    // A fresh data folder, each start in a new one, the three kinds alternated: as the CLI starts now
    // (seeded from the build's database template; V8's baseline WebAssembly compiler only, as
    // main.ts sets it), seeded with V8's default tiers, and as every first start did before
    // (PGLite makes the database, the migrations run, default tiers).
    const KINDS = {
      cli: { label: 'seeded from dist/db-template, baseline compiler only (the CLI now)', seed: true, liftoff: true },
      seeded: { label: 'seeded, default WebAssembly tiers', seed: true, liftoff: false },
      before: { label: 'made by PGLite, then migrated, default tiers (before)', seed: false, liftoff: false },
    } as const;
    type Kind = keyof typeof KINDS;
    const freshStarts: Record<Kind, Record<string, number>[]> = { cli: [], seeded: [], before: [] };
    for (let i = 0; i < RUNS; i++) {
      for (const kind of Object.keys(KINDS) as Kind[]) {
        const dir = join(home, `fresh-${kind}-${i}`);
        freshStarts[kind].push(await startPhases(dir, env, KINDS[kind].seed, KINDS[kind].liftoff));
        await rm(dir, { recursive: true, force: true });
      }
    }
    const total = (p: Record<string, number>): number =>
      Object.entries(p).filter(([k]) => !k.startsWith('import') && k !== 'stop and close' && k !== 'peak RSS MB').reduce((a, [, v]) => a + v, 0);
    console.log(`\n### Headless start on a fresh data folder (median of ${RUNS}, alternated)`);
    console.log('| start | seed | migrations | start in all (after imports) | peak RSS |');
    console.log('|---|---|---|---|---|');
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const runs = freshStarts[kind];
      console.log(
        `| ${KINDS[kind].label} | ${fmt(median(runs.map((p) => p['seed database'] ?? 0)))} | ${fmt(median(runs.map((p) => p['migrations'] ?? 0)))} | ${fmt(median(runs.map(total)))} | ${median(runs.map((p) => p['peak RSS MB'] ?? 0)).toFixed(0)} MB |`,
      );
    }
    const ratio = (a: Kind, b: Kind): string => (median(freshStarts[a].map(total)) / median(freshStarts[b].map(total))).toFixed(2);
    console.log(`fresh start: the CLI now ${ratio('cli', 'before')}x the time before; the template alone ${ratio('seeded', 'before')}x`);

    const phases = await startPhases(dataDir, env);
    console.log('\n### Headless runtime start, phase by phase (existing database, one run)');
    console.log('| phase | time |');
    console.log('|---|---|');
    for (const [phase, ms] of Object.entries(phases)) console.log(`| ${phase} | ${phase.endsWith(' MB') ? ms.toFixed(0) : fmt(ms)} |`);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
