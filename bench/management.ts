import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentRuntime } from '@elizaos/core';
import type { PluginManagementService } from '../src/management/plugin-management-service.js';
import { runProcess, scrubbedEnv } from '../src/shared/process-runner.js';
import { fmt, startBenchRuntime, timed } from './bench-runtime.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../src/service-types.js';

const CYCLES = Number(process.env['BENCH_CYCLES'] ?? 200);

function counts(runtime: AgentRuntime): string {
  const events = Object.values(runtime.events).reduce((n, h) => n + (h?.length ?? 0), 0);
  const models = [...runtime.models.values()].reduce((n, h) => n + h.length, 0);
  return JSON.stringify([
    runtime.actions.length,
    runtime.providers.length,
    runtime.evaluators.length,
    runtime.plugins.length,
    runtime.routes.length,
    runtime.services.size,
    events,
    models,
  ]);
}

/** A small plugin package packed into a tarball, as a user would hand one over. */
async function packTinyPlugin(dir: string): Promise<string> {
  const src = join(dir, 'bench-hello');
  await mkdir(join(src, 'dist'), { recursive: true });
  await writeFile(
    join(src, 'package.json'),
    JSON.stringify({ name: 'plugin-bench-hello', version: '1.0.0', type: 'module', main: 'dist/index.js' }),
  );
  await writeFile(
    join(src, 'dist', 'index.js'),
    `export const plugin = { name: 'plugin-bench-hello', description: 'Says hello.', actions: [{ name: 'BENCH_HELLO', similes: [], description: 'hello', validate: async () => true, handler: async () => ({ success: true, text: 'hello' }) }] };\nexport default plugin;\n`,
  );
  const packed = await runProcess({
    command: 'npm',
    args: ['pack', '--pack-destination', dir, '--silent'],
    cwd: src,
    env: scrubbedEnv(join(dir, 'home')),
  });
  if (!packed.ok) throw new Error(`npm pack failed: ${packed.stderr}`);
  return join(dir, packed.stdout.trim().split('\n').pop() ?? '');
}

export async function benchManagement(): Promise<void> {
  console.log('\n## Plugin management (live runtime, PGLite)');
  const { runtime, dataDir, stop } = await startBenchRuntime();
  try {
    const service = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
    if (!service) throw new Error(`${PLUGIN_MANAGEMENT_SERVICE} did not start`);

    const tarball = await packTinyPlugin(dataDir);
    // A tarball is a user source: it runs isolated, once approved (the real approve path, as a person would).
    const fromTarball = await timed(async () => {
      const installed = await service.install(tarball, { allowedRoots: [dataDir] });
      return (await service.approve(installed.packageName, { channel: 'api', by: 'bench', activate: true })).plugin ?? installed;
    });
    console.log(`install + approve + load from a local tarball: ${fmt(fromTarball.ms)} (${fromTarball.value.status})`);

    const fromNpm = await timed(() => service.install('@elizaos/plugin-bootstrap@1.7.2', { activate: true }));
    console.log(`install + load of @elizaos/plugin-bootstrap@1.7.2 from the npm registry: ${fmt(fromNpm.ms)} (${fromNpm.value.status})`);

    await service.unload('@elizaos/plugin-bootstrap');
    const baseline = counts(runtime);
    let mismatches = 0;
    // deactivate keeps the imported module; unload forgets it, so the next activation imports the
    // entry afresh (ESM modules are never freed: that is the growth the second figure shows).
    for (const mode of ['deactivate', 'unload'] as const) {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let atBaseline = 0;
      const cycles = await timed(async () => {
        for (let i = 0; i < CYCLES; i++) {
          await service.activate('@elizaos/plugin-bootstrap');
          await service[mode]('@elizaos/plugin-bootstrap');
          if (counts(runtime) === baseline) atBaseline++;
        }
      });
      mismatches += CYCLES - atBaseline;
      gc?.();
      const growth = process.memoryUsage().heapUsed - heapBefore;
      console.log(
        `${CYCLES} activate/${mode} cycles of plugin-bootstrap: ${fmt(cycles.ms)} (${fmt(cycles.ms / CYCLES)} per cycle); ` +
          `component counts at baseline after ${atBaseline}/${CYCLES} cycles; heap growth after GC ` +
          `${(growth / 1e6).toFixed(2)} MB (${(growth / CYCLES / 1e3).toFixed(1)} kB per cycle)` +
          (gc ? '' : ' [run with --expose-gc for exact heap figures]'),
      );
    }
    if (mismatches > 0) process.exitCode = 1;
  } finally {
    await stop();
  }
}
