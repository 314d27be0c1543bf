import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PluginInstaller } from '../src/management/install/index.js';
import { readLockfile } from '../src/management/install/lockfile.js';
import { checkRegistrySignatures } from '../src/management/install/registry-signatures.js';
import { parseRegistry } from '../src/management/registry/index.js';
import { npmRegistry } from '../src/shared/npm/npm-client.js';
import { runNpm } from '../src/shared/npm/index.js';
import { fmt, timed } from './bench-runtime.js';

/*
 * The npm registry's signatures and provenance on the plugins of the registry snapshot, asked of
 * the registry this machine reaches (npm's configured one), and what the check adds to one install.
 * Needs the network: it is a measurement, not a test.
 */

const SNAPSHOT = process.env['BENCH_REGISTRY_SNAPSHOT'] ?? '/work/shared/fixtures/registry/generated-registry.json';
const PLUGIN = process.env['BENCH_SIGNATURE_PLUGIN'] ?? '@elizaos/plugin-dummy-services';
const SAMPLES = Number(process.env['BENCH_SIGNATURE_SAMPLES'] ?? 3);

const DistSchema = z.object({
  signatures: z.array(z.unknown()).optional(),
  attestations: z.object({ provenance: z.unknown().optional() }).passthrough().optional(),
});
const PackumentSchema = z.object({
  'dist-tags': z.record(z.string(), z.string()).optional(),
  versions: z.record(z.string(), z.object({ dist: DistSchema }).passthrough()).optional(),
});

interface Seen {
  name: string;
  published: boolean;
  versions: number;
  signed: number;
  attested: number;
  v1?: { signed: boolean; attested: boolean };
}

async function packument(registry: URL, name: string): Promise<z.infer<typeof PackumentSchema> | undefined> {
  const answer = await fetch(new URL(name.replace('/', '%2f'), registry), {
    headers: { accept: 'application/vnd.npm.install-v1+json' },
    signal: AbortSignal.timeout(30_000),
  });
  if (answer.status === 404) return undefined;
  if (!answer.ok) throw new Error(`${name}: HTTP ${answer.status}`);
  return PackumentSchema.parse(await answer.json());
}

async function survey(registry: URL): Promise<Seen[]> {
  const entries = parseRegistry(JSON.parse(await readFile(SNAPSHOT, 'utf8')));
  const seen: Seen[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < entries.length) {
        const entry = entries[next++]!;
        const doc = await packument(registry, entry.name).catch((error: unknown) => {
          console.error(`  ${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        });
        const versions = Object.values(doc?.versions ?? {});
        const v1 = entry.npmV1Version ? doc?.versions?.[entry.npmV1Version] : undefined;
        seen.push({
          name: entry.name,
          published: versions.length > 0,
          versions: versions.length,
          signed: versions.filter((v) => (v.dist.signatures?.length ?? 0) > 0).length,
          attested: versions.filter((v) => v.dist.attestations !== undefined).length,
          ...(v1 ? { v1: { signed: (v1.dist.signatures?.length ?? 0) > 0, attested: v1.dist.attestations !== undefined } } : {}),
        });
      }
    }),
  );
  return seen;
}

export async function benchRegistrySignatures(): Promise<void> {
  const registry = npmRegistry(join(tmpdir(), 'no-data-dir'));
  console.log(`\n## Registry signatures and provenance (registry: ${registry.host}, snapshot: ${SNAPSHOT})`);
  const keys = await fetch(new URL('-/npm/v1/keys', registry), { signal: AbortSignal.timeout(30_000) });
  console.log(`/-/npm/v1/keys answered HTTP ${keys.status}`);
  await keys.body?.cancel();

  const seen = await survey(registry);
  const published = seen.filter((s) => s.published);
  const withV1 = published.filter((s) => s.v1);
  const count = (list: Seen[], test: (s: Seen) => boolean) => list.filter(test).length;
  console.log(`
| plugins in the snapshot | on npm | versions on npm | versions with dist.signatures | versions with dist.attestations |
|---|---|---|---|---|
| ${seen.length} | ${published.length} | ${published.reduce((n, s) => n + s.versions, 0)} | ${published.reduce((n, s) => n + s.signed, 0)} | ${published.reduce((n, s) => n + s.attested, 0)} |

| the 1.x release the snapshot names, found on npm | signed (dist.signatures) | provenance (dist.attestations) |
|---|---|---|
| ${withV1.length} | ${count(withV1, (s) => s.v1?.signed === true)} | ${count(withV1, (s) => s.v1?.attested === true)} |`);

  // The check's cost on a real install: the plugin installed once from the registry, then checked SAMPLES times.
  const dataDir = await mkdtemp(join(tmpdir(), 'pd-bench-signatures-'));
  try {
    const installer = new PluginInstaller({
      dataDir,
      timeoutMs: 300_000,
      outputCapBytes: 8_000_000,
      allowInstallScripts: [],
      resolveRegistryEntry: () => Promise.reject(new Error('a registry name is not used here')),
    });
    const install = await timed(() => installer.install({ kind: 'npm', name: PLUGIN, range: 'latest' }));
    const pkg = install.value;
    const lock = await readLockfile(pkg.installDir);
    const checks: number[] = [];
    let last = pkg.signatures;
    for (let i = 0; i < SAMPLES; i++) {
      const run = await timed(() => checkRegistrySignatures(lock, pkg.packageName, { registry, timeoutMs: 30_000 }));
      checks.push(run.ms);
      last = run.value;
    }
    checks.sort((a, b) => a - b);
    console.log(`
| install of ${pkg.packageName}@${pkg.version} (real npm) | packages checked | verdict | check, median of ${SAMPLES} (fetched each time) |
|---|---|---|---|
| ${fmt(install.ms)} | ${last.packages} | ${last.signature}${last.reason ? ` (${last.reason.slice(0, 80)})` : ''} | ${fmt(checks[Math.floor(checks.length / 2)] ?? 0)} |`);
    // npm's own command, once, for comparison: bounded, in the same folder.
    const audit = await timed(() => runNpm(['audit', 'signatures', '--json'], { cwd: pkg.installDir, dataDir, timeoutMs: 150_000, outputCapBytes: 1_000_000 }));
    const said = `${audit.value.stdout}\n${audit.value.stderr}`.match(/"summary":\s*"([^"]{0,160})/)?.[1] ?? audit.value.stdout.trim().split('\n').slice(-1)[0] ?? '';
    console.log(`\n\`npm audit signatures\` in the install folder: exit ${audit.value.exitCode ?? audit.value.signal}, ${fmt(audit.ms)}: ${said}`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
