import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentRuntime } from '@elizaos/core';
import { PluginHost } from '../src/management/host/plugin-host.js';
import { createWarmFolders, linkInstalledFolder, releaseWarmFolders } from '../src/management/host/warm-folders.js';
import type { PluginManagementService } from '../src/management/plugin-management-service.js';
import { selectSandbox } from '../src/shared/sandbox/index.js';
import { fmt, timed } from './bench-runtime.js';

const RUNS = 10;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const mb = (n: number): string => `${n.toFixed(1)} MB`;

/** Resident memory of the process whose id is given (a host's Node, found below its bwrap). */
function rssOfTree(pid: number): number {
  let kb = 0;
  const visit = (at: number): void => {
    try {
      const status = readFileSync(`/proc/${at}/status`, 'utf8');
      const comm = readFileSync(`/proc/${at}/comm`, 'utf8').trim();
      if (comm !== 'bwrap') kb += Number(status.split('\n').find((l) => l.startsWith('VmRSS:'))?.replace(/\D/g, '') ?? 0);
      for (const child of readFileSync(`/proc/${at}/task/${at}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(child));
    } catch {
      // Gone meanwhile.
    }
  };
  visit(pid);
  return kb / 1024;
}

/**
 * Isolated load (activate, through the service) on a warm host against a cold one, interleaved so both
 * see the same machine: median of RUNS each. Then the warm host's idle memory, with and without
 * @elizaos/core preloaded, and what each costs a plugin that imports core at hand-off.
 */
export async function benchWarmHost(
  runtime: AgentRuntime,
  service: PluginManagementService,
  ctx: { dataDir: string; pdData: string; plugins: string[]; hostRssMb: (dataFolder: string) => number },
): Promise<void> {
  console.log(`\n| isolated plugin, load (activate), median of ${RUNS} each, interleaved | cold host | warm host | warm / cold | host RSS cold | host RSS warm |\n|---|---|---|---|---|---|`);
  for (const name of ctx.plugins) {
    const cold: number[] = [];
    const warm: number[] = [];
    let rssCold = 0;
    let rssWarm = 0;
    for (let i = 0; i < RUNS; i++) {
      await service.setWarmHosts(true);
      if (!(await service.warmSpare())) throw new Error('no warm host started (is bubblewrap working?)');
      warm.push((await timed(() => service.activate(name))).ms);
      const root = (await service.warmSpare())?.root;
      if (i === RUNS - 1) rssWarm = tenantRss(ctx.pdData, root, ctx.hostRssMb);
      await service.unload(name);
      await service.setWarmHosts(false);
      cold.push((await timed(() => service.activate(name))).ms);
      if (i === RUNS - 1) rssCold = ctx.hostRssMb(join(ctx.pdData, 'plugin-data', name));
      await service.unload(name);
    }
    const label = name === 'plugin-bench-rpc' ? 'minimal (no imports)' : 'imports @elizaos/core';
    console.log(`| ${label} | ${fmt(median(cold))} | ${fmt(median(warm))} | ${(median(warm) / median(cold)).toFixed(2)}x | ${mb(rssCold)} | ${mb(rssWarm)} |`);
  }

  // The spare alone: idle memory with and without core preloaded, and the hand-off of the core plugin to it.
  const record = service.get('plugin-bench-core');
  const sandbox = await selectSandbox('auto');
  console.log(`\n| warm host, median of ${RUNS} | idle RSS (waiting) | hand-off of a plugin importing core | RSS after |\n|---|---|---|---|`);
  for (const preload of [[], ['@elizaos/core']]) {
    const idle: number[] = [];
    const handoffs: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const folders = await createWarmFolders(ctx.pdData);
      const host = await PluginHost.startWarm({
        pluginName: 'a warm plugin host',
        installDir: folders.plugin,
        dataFolder: folders.data,
        egressFolder: folders.net,
        parentModules: join(ctx.pdData, 'node_modules'),
        sandbox,
        bounds: { memoryBytes: 256 * 1024 * 1024, maxProcesses: 64 },
        outputCapBytes: 1 << 20,
        callTimeoutMs: 30_000,
        startTimeoutMs: 30_000,
        preload,
        onUnexpectedExit: () => undefined,
      });
      try {
        if (host.pid !== undefined) idle.push(rssOfTree(host.pid));
        const entry = join(folders.plugin, 'node_modules', record.packageName, 'dist', 'index.js');
        const bridge = { forward: async () => null, callback: async () => [], registerTaskWorker: async () => undefined, log: () => undefined };
        handoffs.push(
          (
            await timed(async () => {
              await linkInstalledFolder(record.installDir, folders.plugin);
              await host.handOff({ pluginName: record.packageName, entry, agentId: runtime.agentId, character: {}, settings: {}, bridge, onUnexpectedExit: () => undefined });
            })
          ).ms,
        );
        if (host.pid !== undefined) after.push(rssOfTree(host.pid));
      } finally {
        await host.close();
        await releaseWarmFolders(folders.root);
      }
    }
    console.log(`| ${preload.length === 0 ? 'nothing preloaded' : 'core preloaded'} | ${mb(median(idle))} | ${fmt(median(handoffs))} | ${mb(median(after))} |`);
  }
  await service.setWarmHosts(false);
}

/** RSS of the warm host a plugin was given (the warm folder that is not the new spare's). */
function tenantRss(pdData: string, spareRoot: string | undefined, hostRssMb: (dataFolder: string) => number): number {
  const warmRoot = join(pdData, 'warm');
  const taken = readdirSync(warmRoot).map((id) => join(warmRoot, id)).find((root) => root !== spareRoot);
  return taken ? hostRssMb(join(taken, 'd')) : 0;
}
