import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AgentRuntime } from '@elizaos/core';
import { pluginDataFolder } from '../src/management/host/index.js';
import type { PluginManagementService } from '../src/management/plugin-management-service.js';
import { runAction } from '../src/cli/run-action.js';
import { fmt } from './bench-runtime.js';

const BURST = Number(process.env['BENCH_FLOOD_CALLS'] ?? 20_000);
const HOARD = Number(process.env['BENCH_FLOOD_HOARD'] ?? 60);
const HOARD_MB = Number(process.env['BENCH_FLOOD_HOARD_MB'] ?? 1.5);
const NAME = 'plugin-bench-flood';

/**
 * A plugin that floods the agent from its host: `burst N` fires N forwarded calls at once (not
 * awaited by the action) and notes in its data folder when they have all settled; `hoard N MB`
 * stores a value of MB megabytes, writes N raw requests for it on the channel and stops reading
 * for three seconds while the agent answers.
 */
async function writeFloodPlugin(dir: string): Promise<string> {
  const root = join(dir, NAME);
  await mkdir(join(root, 'dist'), { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: NAME, version: '1.0.0', type: 'module', main: 'dist/index.js', agentConfig: { permissions: { storageMb: 16 } } }));
  await writeFile(
    join(root, 'dist', 'index.js'),
    `import { rmSync, writeFileSync, writeSync } from 'node:fs';
const attacks = {
  burst: (runtime, n) => {
    rmSync('./flood-done.json', { force: true });
    void Promise.allSettled(Array.from({ length: n }, (_, i) => runtime.getCache('k' + (i % 10)))).then((results) =>
      writeFileSync('./flood-done.json', JSON.stringify({ fulfilled: results.filter((r) => r.status === 'fulfilled').length, rejected: results.filter((r) => r.status === 'rejected').length })));
    return {};
  },
  hoard: async (runtime, n, mb) => {
    await runtime.setCache('big', 'x'.repeat(Math.floor(mb * 1024 * 1024)));
    let lines = '';
    for (let i = 0; i < n; i++) lines += JSON.stringify({ t: 'q', i: 'hoard' + i, m: 'forward', a: ['getCache', ['big']] }) + '\\n';
    writeSync(3, lines);
    const until = Date.now() + 3000;
    while (Date.now() < until);
    return {};
  },
};
export const plugin = { name: '${NAME}', description: 'Floods the agent.', actions: [{ name: 'BENCH_FLOOD', similes: [], description: 'flood', examples: [],
  validate: async () => true,
  handler: async (runtime, message) => { const [kind, n, mb] = String(message.content.text).split(' '); return { success: true, data: await attacks[kind](runtime, Number(n), Number(mb)) }; } }] };
export default plugin;
`,
  );
  return root;
}

interface Measured {
  p99: number;
  max: number;
  rssGrowthMb: number;
  externalGrowthMb: number;
  ms: number;
}

/** Runs `attack` with the event-loop delay histogram on and memory sampled every 10 ms; ends when `done` holds. */
async function measure(attack: () => Promise<unknown>, done: () => boolean, limitMs: number): Promise<Measured> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakExternal = before.external;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakExternal = Math.max(peakExternal, now.external);
  }, 10);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  try {
    await attack();
    while (!done() && performance.now() - started < limitMs) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    histogram.disable();
    clearInterval(sampler);
  }
  return {
    p99: histogram.percentile(99) / 1e6,
    max: histogram.max / 1e6,
    rssGrowthMb: (peakRss - before.rss) / 1024 / 1024,
    externalGrowthMb: (peakExternal - before.external) / 1024 / 1024,
    ms: performance.now() - started,
  };
}

/** One isolated plugin floods the agent: the agent's event-loop delay p99 and memory growth while it does. */
export async function benchHostFlood(runtime: AgentRuntime, service: PluginManagementService, dataDir: string): Promise<void> {
  await service.install(await writeFloodPlugin(dataDir), { allowedRoots: [dataDir] });
  await service.setIsolation(NAME, 'isolated');
  // An isolated plugin runs once approved (the real approve path, as a person would).
  await service.approve(NAME, { channel: 'api', by: 'bench' });
  await service.activate(NAME);
  const doneFile = join(pluginDataFolder(join(dataDir, 'plugin-dynamic'), NAME), 'flood-done.json');
  // The database grows its own memory once to hold the large value; that is not the flood's doing.
  await runAction(runtime, 'BENCH_FLOOD', `hoard 2 ${HOARD_MB}`);

  // The same measure over three quiet seconds: what the machine itself gives (it is shared).
  const idle = await measure(() => new Promise((resolve) => setTimeout(resolve, 3_000)), () => true, 0);
  // The hoard first: the burst uses up the plugin's forwarded calls for the minute. It is measured
  // until the agent has answered every request of it, so that its tail is not counted in the burst.
  const idleChannel = (): boolean => {
    const now = service.hostChannelStats?.(NAME);
    return now === undefined || (now.queued === 0 && now.inFlight === 0);
  };
  const hoard = await measure(() => runAction(runtime, 'BENCH_FLOOD', `hoard ${HOARD} ${HOARD_MB}`), idleChannel, 120_000);
  const hoardStats = service.hostChannelStats?.(NAME);
  const burst = await measure(() => runAction(runtime, 'BENCH_FLOOD', `burst ${BURST}`), () => existsSync(doneFile), 180_000);
  const settled = existsSync(doneFile) ? (JSON.parse(readFileSync(doneFile, 'utf8')) as { fulfilled: number; rejected: number }) : undefined;
  const stats = service.hostChannelStats?.(NAME);
  console.log(`\nFlood from one isolated plugin (goal: event-loop delay p99 < 50 ms, memory growth < 64 MB):\n
| attack | event-loop delay p99 | max | agent RSS growth (peak) | external memory growth (peak) | took |
|---|---|---|---|---|---|
| none (the agent idle, for reference) | ${idle.p99.toFixed(1)} ms | ${idle.max.toFixed(0)} ms | ${idle.rssGrowthMb.toFixed(1)} MB | ${idle.externalGrowthMb.toFixed(1)} MB | ${fmt(idle.ms)} |
| ${BURST} forwarded calls at once${settled ? ` (${settled.fulfilled} served, ${settled.rejected} refused)` : ' (not settled)'} | ${burst.p99.toFixed(1)} ms | ${burst.max.toFixed(0)} ms | ${burst.rssGrowthMb.toFixed(1)} MB | ${burst.externalGrowthMb.toFixed(1)} MB | ${fmt(burst.ms)} |
| ${HOARD} requests for a ${HOARD_MB} MB value, not reading | ${hoard.p99.toFixed(1)} ms | ${hoard.max.toFixed(0)} ms | ${hoard.rssGrowthMb.toFixed(1)} MB | ${hoard.externalGrowthMb.toFixed(1)} MB | ${fmt(hoard.ms)} |`);
  const describe = (s: NonNullable<typeof stats>): string =>
    `${s.requests} requests read, at most ${s.maxInFlight} in flight and ${s.maxQueued} waiting, ${s.refusedRequests} refused at once, at most ${(s.maxUnsentBytes / 1024 / 1024).toFixed(1)} MB of answers unsent, ${s.oversizeReplies} answers refused as too large`;
  if (hoardStats) console.log(`\nchannel after the hoard: ${describe(hoardStats)}`);
  if (stats) console.log(`channel after the burst (same host): ${describe(stats)}`);
  await service.uninstall(NAME);
}
