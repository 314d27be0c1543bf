import semver from 'semver';
import { z } from 'zod';

/**
 * What npm says about a registry entry's ElizaOS 1.x line, which the registry's own `v1` flags
 * only claim: `verified` (a 1.x release whose core dependency is 1.x), `refused` (npm has no 1.x
 * release, or it depends on core 0.x), or `unverified` (npm could not be asked in time).
 */
export const NpmV1CheckSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('verified'), version: z.string() }),
  z.object({ status: z.literal('refused'), reason: z.string() }),
  z.object({ status: z.literal('unverified'), reason: z.string() }),
]);
export type NpmV1Check = z.infer<typeof NpmV1CheckSchema>;

export const V1_RANGE = '>=1.0.0 <2.0.0';

const Release = z
  .object({
    version: z.string(),
    dependencies: z.record(z.string(), z.string()).optional(),
    peerDependencies: z.record(z.string(), z.string()).optional(),
  })
  .loose();
/** `npm view name@range version dependencies peerDependencies --json`: one object, or one per version. */
const ViewAnswer = z.union([Release, z.array(Release)]);
/** The fields of a published release this check reads. */
export interface PublishedRelease {
  version: string;
  dependencies?: Record<string, string> | undefined;
  peerDependencies?: Record<string, string> | undefined;
}

/** The spec and fields to ask npm about, as argv after `npm view`. */
export function v1ViewArgs(name: string): string[] {
  return [`${name}@${V1_RANGE}`, 'version', 'dependencies', 'peerDependencies', '--json'];
}

/**
 * True when a release's declared @elizaos/core range can only mean 0.x (or anything but 1.x).
 * Ranges npm cannot read here ("workspace:*", a tag) are not held against it: they are checked again
 * when the install resolves them.
 */
export function coreRangeRefused(release: PublishedRelease): string | undefined {
  const range = release.dependencies?.['@elizaos/core'] ?? release.peerDependencies?.['@elizaos/core'];
  if (range === undefined || semver.validRange(range) === null) return undefined;
  if (semver.intersects(range, V1_RANGE, { includePrerelease: true })) return undefined;
  return `its ${release.version} release depends on @elizaos/core ${range}, not 1.x`;
}

/**
 * The verdict on what npm answered for the 1.x range: `missing` when npm said there is no such
 * release (E404 / no match).
 */
export function judgeV1Releases(name: string, answer: unknown): NpmV1Check {
  if (answer === 'missing') return { status: 'refused', reason: `npm has no ElizaOS 1.x release of ${name}` };
  const parsed = ViewAnswer.safeParse(answer);
  if (!parsed.success) return { status: 'unverified', reason: `npm answered something unexpected about ${name}` };
  const releases = (Array.isArray(parsed.data) ? parsed.data : [parsed.data]).filter((r) => semver.valid(r.version));
  const usable = releases.filter((r) => coreRangeRefused(r) === undefined).sort((a, b) => semver.rcompare(a.version, b.version));
  if (usable[0]) return { status: 'verified', version: usable[0].version };
  const newest = releases.sort((a, b) => semver.rcompare(a.version, b.version))[0];
  if (newest) return { status: 'refused', reason: coreRangeRefused(newest) ?? `npm has no usable 1.x release of ${name}` };
  return { status: 'refused', reason: `npm has no ElizaOS 1.x release of ${name}` };
}
