import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Action, AgentRuntime, Memory, Provider, State } from '@elizaos/core';
import { hostNodePath, pluginDataFolder } from '../src/management/host/index.js';
import { PluginHost } from '../src/management/host/plugin-host.js';
import { benchWarmHost } from './plugin-host-warm.js';
import { runProcess, scrubbedEnv } from '../src/shared/process-runner.js';
import { selectSandbox } from '../src/shared/sandbox/index.js';
import type { PluginManagementService } from '../src/management/plugin-management-service.js';
import { fmt, startBenchRuntime, timed } from './bench-runtime.js';
import { benchHostFlood } from './plugin-host-flood.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../src/service-types.js';

const CALLS = Number(process.env['BENCH_HOST_CALLS'] ?? 2000);
const CYCLES = Number(process.env['BENCH_HOST_CYCLES'] ?? 1000);

/** A plugin folder with one action and one provider; `withCore` also imports @elizaos/core, as most plugins do. */
async function writePlugin(dir: string, name: string, withCore: boolean): Promise<string> {
  const root = join(dir, name);
  await mkdir(join(root, 'dist'), { recursive: true });
  await writeFile(
    join(root, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'dist/index.js', ...(withCore ? { peerDependencies: { '@elizaos/core': '1.x' } } : {}) }),
  );
  await writeFile(
    join(root, 'dist', 'index.js'),
    `${withCore ? "import { ModelType } from '@elizaos/core';\n" : ''}export const plugin = { name: '${name}', description: 'Bench plugin.',
  actions: [{ name: '${name.toUpperCase().replace(/-/g, '_')}_ECHO', similes: [], description: 'echo', examples: [], validate: async () => true, handler: async (_r, m) => ({ success: true, text: m.content.text${withCore ? ' + ModelType.TEXT_SMALL' : ''} }) }],
  providers: [{ name: '${name.toUpperCase().replace(/-/g, '_')}_PROVIDER', get: async () => ({ text: 'provided', values: { n: 1 } }) }] };
export default plugin;\n`,
  );
  return root;
}

function counts(runtime: AgentRuntime): string {
  const events = Object.values(runtime.events).reduce((n, h) => n + (h?.length ?? 0), 0);
  const models = [...runtime.models.values()].reduce((n, h) => n + h.length, 0);
  return JSON.stringify([runtime.actions.length, runtime.providers.length, runtime.evaluators.length, runtime.plugins.length, runtime.routes.length, runtime.services.size, events, models]);
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** p50 and p99 of `n` sequential calls, in milliseconds. */
async function roundTrips(n: number, call: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Resident memory of the host's Node process (the one whose working folder is the plugin's data folder and runs plugin-host.mjs). */
export function hostRssMb(dataFolder: string): number {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (!readlinkSync(`/proc/${pid}/cwd`).startsWith(dataFolder)) continue;
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('plugin-host.mjs')) continue;
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'bwrap') continue;
      const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
      kb += Number(line?.replace(/\D/g, '') ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kb / 1024;
}

const ms = (n: number): string => `${n.toFixed(3)} ms`;
const rssMb = (): number => process.memoryUsage().rss / 1024 / 1024;

export async function benchPluginHost(): Promise<void> {
  console.log('\n## Plugin host (isolated plugins, live runtime, PGLite)');
  // The machine's own speed right now, so the figures below can be read as ratios to it.
  const node = await hostNodePath();
  const bareNode = await timed(() => runProcess({ command: node, args: ['-e', '0'], cwd: process.cwd(), env: scrubbedEnv(process.cwd()) }));
  console.log(`reference: a bare \`node -e 0\` starts and exits in ${fmt(bareNode.ms)}`);
  const { runtime, dataDir, stop } = await startBenchRuntime({ LOG_LEVEL: 'error' });
  try {
    const service = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
    if (!service) throw new Error(`${PLUGIN_MANAGEMENT_SERVICE} did not start`);
    // Every figure but the warm table's is of cold hosts, as before warm hosts existed.
    await service.setWarmHosts(false);
    await benchHostFlood(runtime, service, dataDir);
    // BENCH_HOST_FLOOD_ONLY=1 measures the flood alone.
    if (process.env['BENCH_HOST_FLOOD_ONLY'] === '1') return;
    const pdData = join(dataDir, 'plugin-dynamic');
    const message: Memory = { id: '00000000-0000-0000-0000-00000000b001', entityId: runtime.agentId, roomId: runtime.agentId, content: { text: 'ping' } };
    const state: State = { values: {}, data: {}, text: '' };

    const rpcPlugin = await writePlugin(dataDir, 'plugin-bench-rpc', false);
    await service.install(rpcPlugin, { allowedRoots: [dataDir] });
    // Isolated plugins run once approved (the real approve path, as a person would).
    await service.approve('plugin-bench-rpc', { channel: 'api', by: 'bench' });
    const lines: string[] = [];
    for (const mode of ['in-process', 'isolated'] as const) {
      await service.setIsolation('plugin-bench-rpc', mode);
      await service.activate('plugin-bench-rpc');
      const action = runtime.actions.find((a) => a.name === 'PLUGIN_BENCH_RPC_ECHO') as Action;
      const provider = runtime.providers.find((p) => p.name === 'PLUGIN_BENCH_RPC_PROVIDER') as Provider;
      const a = await roundTrips(CALLS, () => action.handler(runtime, message, state, {}, undefined));
      const p = await roundTrips(CALLS, () => provider.get(runtime, message, state));
      lines.push(`| ${mode} | ${ms(a.p50)} | ${ms(a.p99)} | ${ms(p.p50)} | ${ms(p.p99)} |`);
      await service.unload('plugin-bench-rpc');
    }
    console.log(`\nRound trip of ${CALLS} sequential calls (after 50 warm-up calls):\n\n| mode | action p50 | action p99 | provider get p50 | provider get p99 |\n|---|---|---|---|---|\n${lines.join('\n')}`);

    // Load time and resident memory of one host, for a plugin without and with @elizaos/core.
    const corePlugin = await writePlugin(dataDir, 'plugin-bench-core', true);
    await service.install(corePlugin, { allowedRoots: [dataDir] });
    await service.approve('plugin-bench-core', { channel: 'api', by: 'bench' });
    await service.setIsolation('plugin-bench-rpc', 'isolated');
    console.log('\n| isolated plugin | load (activate), median of 10 | host RSS |\n|---|---|---|');
    for (const name of ['plugin-bench-rpc', 'plugin-bench-core']) {
      const loads: number[] = [];
      let rss = 0;
      for (let i = 0; i < 10; i++) {
        loads.push((await timed(() => service.activate(name))).ms);
        if (i === 9) rss = hostRssMb(pluginDataFolder(pdData, name));
        await service.unload(name);
      }
      loads.sort((x, y) => x - y);
      console.log(`| ${name === 'plugin-bench-rpc' ? 'minimal (no imports)' : 'imports @elizaos/core'} | ${fmt(percentile(loads, 50))} | ${rss.toFixed(1)} MB |`);
    }

    // Isolated load on a warm host against a cold one, interleaved; the spare's idle memory.
    await benchWarmHost(runtime, service, { dataDir, pdData, plugins: ['plugin-bench-rpc', 'plugin-bench-core'], hostRssMb });

    // The host alone (spawn in bubblewrap and its control group, import, describe, then close), beside a
    // bare Node start, phase by phase: what a host started ahead of time (warm) would have done already
    // is everything but the plugin's own import; the RSS is one host's with that plugin loaded.
    console.log('\n| host start alone, median of 10 | spawn (sandbox, control group) | Node and worker ready | import and describe | total | host RSS |\n|---|---|---|---|---|---|');
    const bareStarts: number[] = [];
    for (const name of ['plugin-bench-rpc', 'plugin-bench-core']) {
      const record = service.get(name);
      const dataFolder = pluginDataFolder(pdData, record.packageName);
      const phases = new Map<string, number[]>();
      const totals: number[] = [];
      let rss = 0;
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        const host = await PluginHost.start({
          pluginName: record.packageName,
          installDir: record.installDir,
          entry: join(record.installDir, 'node_modules', name, 'dist', 'index.js'),
          dataFolder,
          sandbox: await selectSandbox('auto'),
          bounds: { memoryBytes: 256 * 1024 * 1024, maxProcesses: 64 },
          outputCapBytes: 1 << 20,
          agentId: runtime.agentId,
          character: {},
          settings: {},
          callTimeoutMs: 30_000,
          startTimeoutMs: 30_000,
          bridge: { forward: async () => null, callback: async () => [], registerTaskWorker: async () => undefined, log: () => undefined },
          onUnexpectedExit: () => undefined,
          onPhase: (phase, took) => phases.set(phase, [...(phases.get(phase) ?? []), took]),
        });
        totals.push(performance.now() - started);
        if (i === 9) rss = hostRssMb(dataFolder);
        await host.close();
        bareStarts.push((await timed(() => runProcess({ command: node, args: ['-e', '0'], cwd: process.cwd(), env: scrubbedEnv(process.cwd()) }))).ms);
      }
      const med = (values: number[] | undefined): string => fmt(percentile([...(values ?? [])].sort((x, y) => x - y), 50));
      const label = name === 'plugin-bench-rpc' ? 'minimal (no imports)' : 'imports @elizaos/core';
      console.log(`| ${label} | ${med(phases.get('spawn'))} | ${med(phases.get('worker ready'))} | ${med(phases.get('import and describe'))} | ${med(totals)} | ${rss.toFixed(1)} MB |`);
    }
    bareStarts.sort((x, y) => x - y);
    console.log(`a bare \`node -e 0\` alternating with them: ${fmt(percentile(bareStarts, 50))} (the total includes one ping more than an activation makes)`);

    // Load/unload cycles: counts exact every cycle, the agent's RSS back near its baseline.
    const gc = (globalThis as { gc?: () => void }).gc;
    const baselineCounts = counts(runtime);
    for (let i = 0; i < 10; i++) {
      await service.activate('plugin-bench-rpc');
      await service.unload('plugin-bench-rpc');
    }
    gc?.();
    const rssBefore = rssMb();
    let exact = 0;
    let loadedCounts: string | undefined;
    const cycles = await timed(async () => {
      for (let i = 0; i < CYCLES; i++) {
        await service.activate('plugin-bench-rpc');
        const loaded = counts(runtime);
        loadedCounts ??= loaded;
        await service.unload('plugin-bench-rpc');
        if (loaded === loadedCounts && loaded !== baselineCounts && counts(runtime) === baselineCounts) exact++;
      }
    });
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 500));
    gc?.();
    const rssAfter = rssMb();
    console.log(
      `\n${CYCLES} activate/unload cycles of an isolated plugin: ${fmt(cycles.ms / CYCLES)} per cycle, component counts exact ${exact}/${CYCLES}, agent RSS ${rssBefore.toFixed(1)} MB → ${rssAfter.toFixed(1)} MB (${(rssAfter - rssBefore >= 0 ? '+' : '')}${(rssAfter - rssBefore).toFixed(1)} MB)${gc ? '' : ' (run with --expose-gc for figures after GC)'}`,
    );
    if (exact !== CYCLES || rssAfter - rssBefore > 10) process.exitCode = 1;
  } finally {
    await stop();
  }
}
