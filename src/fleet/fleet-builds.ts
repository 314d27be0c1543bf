import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type pg from 'pg';
import { z } from 'zod';
import { codedError } from '../errors.js';
import { FLEET_SCHEMA } from './fleet-db.js';

const T = `${FLEET_SCHEMA}.builds`;
/** A stored build's tarball is at most this big (a generated plugin's dist/ and package.json). */
export const FLEET_BUILD_MAX_BYTES = 20 * 1024 * 1024;
const TAR_TIMEOUT_MS = 60_000;

/** What is stored with a build beside its tarball: enough to judge it before installing it. */
export const FleetBuildMetadataSchema = z.object({
  version: z.string(),
  /** sha256 over dist/ (what the installer checks after extracting), beside the tarball's own sha256. */
  distSha256: z.string(),
  files: z.number().int().nonnegative(),
  tests: z.object({ passed: z.number(), failed: z.number(), total: z.number() }).optional(),
  review: z.object({ score: z.number(), issues: z.array(z.string()) }).optional(),
  components: z.array(z.object({ kind: z.string(), name: z.string() })),
  permissions: z.unknown().optional(),
  trust: z.literal('generated'),
  isolation: z.literal('isolated'),
});
export type FleetBuildMetadata = z.infer<typeof FleetBuildMetadataSchema>;

/** One stored build as search shows it (no tarball); also what the HTTP API answers. */
export const FleetBuildEntrySchema = z.object({
  packageName: z.string(),
  sha256: z.string(),
  description: z.string(),
  jobId: z.string(),
  agentId: z.string(),
  createdAt: z.string(),
  metadata: FleetBuildMetadataSchema,
});
export type FleetBuildEntry = z.infer<typeof FleetBuildEntrySchema>;

/** Which stored build of a package: the newest, or the one with this tarball sha256 or version. */
export interface FleetBuildChoice {
  sha256?: string;
  version?: string;
}

export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Packs a shipped build folder into a gzip tarball in memory (bounded), with its sha256. */
export async function packBuild(dir: string, scratch: string, signal: AbortSignal): Promise<{ tarball: Buffer; sha256: string }> {
  await mkdir(scratch, { recursive: true });
  const out = join(scratch, 'build.tgz');
  try {
    await execa('tar', ['-czf', out, '-C', dir, '.'], { timeout: TAR_TIMEOUT_MS, maxBuffer: 64 * 1024, cancelSignal: signal, stdin: 'ignore' });
    const tarball = await readFile(out);
    if (tarball.length > FLEET_BUILD_MAX_BYTES) {
      throw codedError('INVALID_INPUT', { input: 'The shipped build', problem: `is ${tarball.length} bytes, over the fleet's ${FLEET_BUILD_MAX_BYTES}.` });
    }
    return { tarball, sha256: sha256Of(tarball) };
  } finally {
    await rm(out, { force: true });
  }
}

/** The fleet's shipped builds: stored once per (package, sha256), searched by any agent. */
export class FleetBuilds {
  constructor(private readonly pool: pg.Pool) {}

  async store(entry: Omit<FleetBuildEntry, 'createdAt'> & { tarball: Buffer }): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${T} (package_name, sha256, job_id, agent_id, description, tarball, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (package_name, sha256) DO NOTHING`,
      [entry.packageName, entry.sha256, entry.jobId, entry.agentId, entry.description, entry.tarball, FleetBuildMetadataSchema.parse(entry.metadata)],
    );
  }

  /** Builds whose name or description contains `query` (every build for an empty one), newest first. */
  async search(query: string, limit = 50): Promise<FleetBuildEntry[]> {
    const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT package_name, sha256, description, job_id, agent_id, created_at, metadata FROM ${T}
       WHERE package_name ILIKE $1 OR description ILIKE $1 ORDER BY created_at DESC LIMIT $2`,
      [pattern, limit],
    );
    return rows.map((r) => ({
      packageName: String(r['package_name']),
      sha256: String(r['sha256']),
      description: String(r['description']),
      jobId: String(r['job_id']),
      agentId: String(r['agent_id']),
      createdAt: new Date(r['created_at'] as string).toISOString(),
      metadata: FleetBuildMetadataSchema.parse(r['metadata']),
    }));
  }

  /**
   * The newest build of `packageName` (or the one `choice` names), extracted into `into` after its
   * tarball was checked against the stored sha256: a mismatch is FLEET_BUILD_MISMATCH and nothing is
   * extracted.
   */
  async extract(packageName: string, into: string, signal: AbortSignal, choice: FleetBuildChoice = {}): Promise<{ dir: string; entry: FleetBuildEntry }> {
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT package_name, sha256, description, job_id, agent_id, created_at, metadata, tarball FROM ${T}
       WHERE package_name = $1 AND ($2::text IS NULL OR sha256 = $2) AND ($3::text IS NULL OR metadata->>'version' = $3)
       ORDER BY created_at DESC LIMIT 1`,
      [packageName, choice.sha256 ?? null, choice.version ?? null],
    );
    const row = rows[0];
    if (!row) {
      const which = choice.version ? `${packageName}@${choice.version}` : packageName;
      throw codedError('PLUGIN_NOT_FOUND', { subject: `No stored build of ${which}`, problem: 'is in the fleet database; search it with search --fleet.' });
    }
    const tarball = row['tarball'] as Buffer;
    const expected = String(row['sha256']);
    const actual = sha256Of(tarball);
    if (actual !== expected) throw codedError('FLEET_BUILD_MISMATCH', { plugin: packageName, actual, expected });
    const dir = join(into, `fleet-${expected.slice(0, 16)}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const file = join(into, `fleet-${expected.slice(0, 16)}.tgz`);
    await writeFile(file, tarball);
    try {
      await execa('tar', ['-xzf', file, '-C', dir, '--no-same-owner', '--no-same-permissions'], {
        timeout: TAR_TIMEOUT_MS,
        maxBuffer: 64 * 1024,
        cancelSignal: signal,
        stdin: 'ignore',
      });
    } finally {
      await rm(file, { force: true });
    }
    const entry: FleetBuildEntry = {
      packageName,
      sha256: expected,
      description: String(row['description']),
      jobId: String(row['job_id']),
      agentId: String(row['agent_id']),
      createdAt: new Date(row['created_at'] as string).toISOString(),
      metadata: FleetBuildMetadataSchema.parse(row['metadata']),
    };
    return { dir, entry };
  }
}
