import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentNodeModules } from '../src/shared/npm/index.js';
import { runProcess, scrubbedEnv } from '../src/shared/process-runner.js';
import { startEgressProxy } from '../src/shared/sandbox/egress-proxy.js';
import { bwrapSandbox, bwrapWorks } from '../src/shared/sandbox/index.js';
import { ALLOWED_HOST, BRIDGE, startFixtureInternet } from '../test/integration/sandbox/egress-fixtures.js';
import { timed } from './bench-runtime.js';

const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 200);

// Sequential HTTPS GETs with fetch; prints each round trip in milliseconds as one JSON line.
const CLIENT = `
import { pathToFileURL } from 'node:url';
const [bridge, socketPath, url, count] = process.argv.slice(2);
if (socketPath) await (await import(pathToFileURL(bridge).href)).installEgressBridge(socketPath);
const times = [];
for (let i = 0; i < Number(count); i++) {
  const started = performance.now();
  const res = await fetch(url);
  await res.text();
  if (res.status !== 200) throw new Error('status ' + res.status);
  times.push(performance.now() - started);
}
console.log(JSON.stringify(times));
`;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const ms2 = (ms: number): string => `${ms.toFixed(2)} ms`;

/** What the egress proxy costs: starting one, and an HTTPS round trip through it from the sandbox. */
export async function benchEgress(): Promise<void> {
  console.log('\n## egress proxy');
  if (!(await bwrapWorks())) {
    console.log('skipped: bubblewrap is not available here');
    return;
  }
  const internet = await startFixtureInternet();
  const scratch = await mkdtemp(join(tmpdir(), 'pd-bench-egress-'));
  const logger = { warn: () => undefined };
  try {
    const starts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { ms } = await timed(async () => {
        const proxy = await startEgressProxy({ allowedHosts: [ALLOWED_HOST], pluginName: 'bench', logger, dir: scratch });
        await proxy.close();
      });
      starts.push(ms);
    }
    console.log(`start + close: median ${ms2(percentile(starts, 50))} (20 runs)`);

    const script = join(scratch, 'client.mjs');
    await writeFile(script, CLIENT);
    const env = scrubbedEnv('/tmp', { NODE_EXTRA_CA_CERTS: internet.certFile });
    const run = async (socketPath: string | undefined, url: string): Promise<number[]> => {
      const spec = { command: process.execPath, args: [script, BRIDGE, socketPath ?? '', url, String(REQUESTS)], cwd: scratch, env, timeoutMs: 300_000 };
      const policy = { writable: [], readOnly: [scratch, join(BRIDGE, '..'), agentNodeModules(), internet.certFile, ...(socketPath ? [socketPath] : [])], network: false };
      const result = await runProcess(socketPath ? bwrapSandbox.wrap(spec, policy) : spec);
      if (!result.ok) throw new Error(`the egress bench client failed: ${result.stderr}`);
      return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '[]') as number[];
    };

    const proxy = await startEgressProxy({ allowedHosts: [ALLOWED_HOST], pluginName: 'bench', logger, dir: scratch, resolveHost: internet.resolveHost, allowPrivateAddresses: true });
    try {
      const [first = 0, ...rest] = await run(proxy.socketPath, `https://${ALLOWED_HOST}/`);
      console.log(`through bridge + proxy, in bubblewrap: first ${ms2(first)}; then p50 ${ms2(percentile(rest, 50))}, p99 ${ms2(percentile(rest, 99))} (${REQUESTS} sequential fetch GETs)`);
    } finally {
      await proxy.close();
    }
    const [first = 0, ...rest] = await run(undefined, `https://localhost:${internet.httpsPort}/`);
    console.log(`direct, unsandboxed: first ${ms2(first)}; then p50 ${ms2(percentile(rest, 50))}, p99 ${ms2(percentile(rest, 99))}`);
  } finally {
    await internet.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
