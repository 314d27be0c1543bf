import { spawnSync } from 'node:child_process';
import { benchCli } from './cli.js';
import { benchCreation } from './creation.js';
import { benchEgress } from './egress.js';
import { benchFleet } from './fleet.js';
import { benchManagement } from './management.js';
import { benchPluginHost } from './plugin-host.js';
import { benchRegistrySignatures } from './registry-signatures.js';
import { benchSandbox } from './sandbox.js';
import { benchTemplateProperty } from './template-property.js';

const BENCHMARKS = { management: benchManagement, creation: benchCreation, sandbox: benchSandbox, egress: benchEgress, 'plugin-host': benchPluginHost, 'template-property': benchTemplateProperty, 'registry-signatures': benchRegistrySignatures, fleet: benchFleet, cli: benchCli } as const;
type BenchName = keyof typeof BENCHMARKS;
const isBenchName = (name: string): name is BenchName => Object.hasOwn(BENCHMARKS, name);

// `npm run bench` runs all; `npm run bench -- <name> [args]` (a key of BENCHMARKS) runs one, with its own arguments.
const only = process.argv[2];
if (only !== undefined && !isBenchName(only)) {
  console.error(`unknown benchmark "${only}": use one of ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

if (only === undefined) {
  console.log(`# plugin-dynamic benchmarks (Node ${process.versions.node}, ${new Date().toISOString()})`);
  // PGLite allows one database per process and a runtime's close() ends it for good, so every
  // benchmark that starts a runtime runs in a process of its own.
  let failed = 0;
  for (const name of Object.keys(BENCHMARKS)) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] ?? 'bench/run.ts', name, '--child'], { stdio: 'inherit' });
    if (child.status !== 0) {
      failed += 1;
      console.error(`benchmark ${name} failed (exit ${child.status ?? child.signal})`);
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

if (!process.argv.includes('--child')) {
  console.log(`# plugin-dynamic benchmarks (Node ${process.versions.node}, ${new Date().toISOString()})`);
}
await BENCHMARKS[only]();
process.exit(process.exitCode ?? 0);
