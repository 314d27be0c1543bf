import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FinishStep } from '../creation/jobs/job-finish.js';
import type { PluginSpec } from '../creation/spec/plugin-spec.js';
import { FleetBuilds, packBuild, type FleetBuildMetadata } from './fleet-builds.js';

/** The components a specification declares, as stored with its build. */
function components(spec: PluginSpec): FleetBuildMetadata['components'] {
  return [
    ...spec.actions.map((c) => ({ kind: 'action', name: c.name })),
    ...spec.providers.map((c) => ({ kind: 'provider', name: c.name })),
    ...spec.services.map((c) => ({ kind: 'service', name: c.name })),
    ...spec.evaluators.map((c) => ({ kind: 'evaluator', name: c.name })),
  ];
}

/** The permissions the shipped package.json declares (agentConfig.permissions), if any. */
async function shippedPermissions(dir: string): Promise<unknown> {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version?: unknown; agentConfig?: { permissions?: unknown } };
  return { version: typeof manifest.version === 'string' ? manifest.version : '0.0.0', permissions: manifest.agentConfig?.permissions };
}

/**
 * A fleet worker's last step: builds what ships from the accepted sources (after every untrusted
 * step, as the in-process queue does), stores it once in the fleet's database with its tarball,
 * sha256, tests, review, components and permissions, and marks the job succeeded. The submitting
 * agent installs it from there; nothing is installed on the worker.
 */
export function storeInFleet(builds: FleetBuilds, agentOf: (jobId: string) => string): FinishStep {
  return async (deps, job, prepared, outcome) => {
    const { jobs, settings } = deps;
    const shipped = await prepared.files.ship(prepared.toolchain, outcome.sources, { timeoutMs: settings.commandTimeoutMs, signal: job.signal });
    await jobs.update(job.id, () => ({ shipped: { sha256: shipped.sha256, files: shipped.files } }), `Shipped build: ${shipped.files} file(s), sha256 ${shipped.sha256}`);
    const packed = await packBuild(shipped.dir, join(settings.dataDir, 'fleet-scratch', job.id), job.signal);
    const record = jobs.get(job.id);
    const manifest = (await shippedPermissions(shipped.dir)) as { version: string; permissions: unknown };
    const review = record.validation?.review;
    await builds.store({
      packageName: job.spec.name,
      sha256: packed.sha256,
      description: job.spec.description,
      jobId: job.id,
      agentId: agentOf(job.id),
      tarball: packed.tarball,
      metadata: {
        version: manifest.version,
        distSha256: shipped.sha256,
        files: shipped.files,
        ...(record.tests ? { tests: record.tests } : {}),
        ...(review ? { review: { score: review.score, issues: review.issues } } : {}),
        components: components(job.spec),
        ...(manifest.permissions === undefined ? {} : { permissions: manifest.permissions }),
        trust: 'generated',
        isolation: 'isolated',
      },
    });
    await jobs.update(
      job.id,
      () => ({
        status: 'succeeded',
        finishedAt: new Date().toISOString(),
        result: { packageName: job.spec.name, pluginStatus: 'stored', missingSettings: [], installDir: '' },
      }),
      `Succeeded in iteration ${outcome.iterations}: ${job.spec.name} is stored in the fleet database (tarball sha256 ${packed.sha256}).`,
    );
  };
}
