import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { codedError } from '../../errors.js';
import type { Lockfile } from './lockfile.js';
import type { SignatureCheck } from './signature-check.js';

/**
 * The npm registry's signatures on the packages of an install, checked as npm's own
 * `npm audit signatures` checks them, in the agent: each package version's `dist.signatures` is an
 * ECDSA P-256 signature over `<name>@<version>:<integrity>` by one of the keys the registry
 * publishes at /-/npm/v1/keys. npm's command cannot be used: before it checks anything it updates
 * Sigstore's TUF repository on its own host, which the install's proxy (and a machine that reaches
 * only the registry) refuses, so it fails for every package.
 */

/** The registry's signing keys (/-/npm/v1/keys), as npm serves them. */
export const RegistryKeysSchema = z.object({
  keys: z
    .array(
      z.object({
        keyid: z.string().min(1).max(200),
        key: z.string().min(1).max(4_000),
        expires: z.string().max(100).nullish(),
      }),
    )
    .max(100),
});
export type RegistryKeys = z.infer<typeof RegistryKeysSchema>;

/** The part of a version's manifest the check reads. */
export const VersionDistSchema = z.object({
  dist: z.object({
    integrity: z.string().max(500).optional(),
    signatures: z.array(z.object({ keyid: z.string().max(200), sig: z.string().max(4_000) })).max(20).optional(),
    attestations: z.object({ url: z.string().max(2_000), provenance: z.object({ predicateType: z.string().max(500) }).optional() }).optional(),
  }),
});
export type VersionDist = z.infer<typeof VersionDistSchema>['dist'];

/** One package of an install as the lockfile pins it. */
export interface LockedRegistryPackage {
  name: string;
  version: string;
  integrity: string;
}

export type PackageVerdict = { kind: 'verified' } | { kind: 'missing' } | { kind: 'invalid'; reason: string };

/**
 * A registry key as a public key. Its `expires` is not enforced: a version's publish time is not in
 * its manifest, and npm's own check, lacking it too, accepts an expired key the same way.
 */
function publicKeyOf(key: RegistryKeys['keys'][number]): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(key.key, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** Checks one package's registry signatures against the registry's keys. */
export function verifyPackage(pkg: LockedRegistryPackage, dist: VersionDist, keys: RegistryKeys): PackageVerdict {
  const id = `${pkg.name}@${pkg.version}`;
  if (dist.integrity !== undefined && dist.integrity !== pkg.integrity) {
    return { kind: 'invalid', reason: `${id}: the registry now names other bytes (${dist.integrity.slice(0, 20)}…) than those installed` };
  }
  const signatures = dist.signatures ?? [];
  if (signatures.length === 0) return { kind: 'missing' };
  const message = Buffer.from(`${id}:${pkg.integrity}`);
  for (const signature of signatures) {
    const key = keys.keys.find((k) => k.keyid === signature.keyid);
    if (!key) return { kind: 'invalid', reason: `${id}: signed with key ${signature.keyid}, which the registry does not publish` };
    const publicKey = publicKeyOf(key);
    if (!publicKey) return { kind: 'invalid', reason: `${id}: the registry's key ${signature.keyid} is not a public key` };
    if (!verify('sha256', message, publicKey, Buffer.from(signature.sig, 'base64'))) {
      return { kind: 'invalid', reason: `${id}: its signature by ${signature.keyid} does not check` };
    }
  }
  return { kind: 'verified' };
}

/** The packages of a lockfile fetched from `registry` (links, folders and git sources are not the registry's to sign). */
export function registryPackages(lock: Lockfile, registry: URL): LockedRegistryPackage[] {
  const found: LockedRegistryPackage[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.link === true || !entry.version || !entry.integrity || !entry.resolved) continue;
    let resolved: URL;
    try {
      resolved = new URL(entry.resolved);
    } catch {
      continue;
    }
    if (resolved.host !== registry.host) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    found.push({ name, version: entry.version, integrity: entry.integrity });
  }
  return found;
}

export interface SignatureFetchOptions {
  registry: URL;
  signal?: AbortSignal;
  /** Bound of each request. */
  timeoutMs: number;
  /** Requests at once. */
  concurrency?: number;
}

const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** GETs a JSON document, bounded in time and size; undefined on 404. */
async function getJson(url: URL, opts: SignatureFetchOptions): Promise<unknown> {
  const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs);
  const answer = await fetch(url, { signal, headers: { accept: 'application/json' }, redirect: 'error' });
  if (answer.status === 404) {
    await answer.body?.cancel();
    return undefined;
  }
  if (!answer.ok) {
    await answer.body?.cancel();
    throw new Error(`${url.pathname} answered HTTP ${answer.status}`);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  const reader = answer.body?.getReader();
  for (let read = await reader?.read(); reader && read && !read.done; read = await reader.read()) {
    bytes += read.value.byteLength;
    if (bytes > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error(`${url.pathname} answered more than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(Buffer.from(read.value));
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/** A registry path for a package name (a scoped name keeps its slash encoded, as npm sends it). */
function packagePath(registry: URL, name: string, version: string): URL {
  return new URL(`${name.replace('/', '%2f')}/${encodeURIComponent(version)}`, registry.href.endsWith('/') ? registry : `${registry.href}/`);
}

/** Maps `items` through `work`, at most `limit` at once, in order. */
async function mapBounded<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Checks the registry signatures of every package an install pinned from the registry, and whether
 * the plugin's own package has a provenance attestation. Never throws for what the registry
 * answers: an unreachable registry makes the verdict `unchecked`. A cancelled check throws.
 */
export async function checkRegistrySignatures(lock: Lockfile, pluginPackage: string, opts: SignatureFetchOptions): Promise<SignatureCheck> {
  const checkedAt = new Date().toISOString();
  const packages = registryPackages(lock, opts.registry);
  const plugin = packages.find((p) => p.name === pluginPackage);
  if (!plugin) {
    return { signature: 'unchecked', provenance: 'absent', packages: packages.length, verified: 0, reason: `${pluginPackage} was not installed from ${opts.registry.host}`, checkedAt };
  }
  try {
    const keysAnswer = await getJson(new URL('-/npm/v1/keys', opts.registry.href.endsWith('/') ? opts.registry : `${opts.registry.href}/`), opts);
    const dists = await mapBounded(packages, opts.concurrency ?? 8, async (pkg) => {
      const answer = await getJson(packagePath(opts.registry, pkg.name, pkg.version), opts);
      if (answer === undefined) throw new Error(`${pkg.name}@${pkg.version} is not on the registry any more`);
      return VersionDistSchema.parse(answer).dist;
    });
    const provenance = dists[packages.indexOf(plugin)]?.attestations?.provenance ? 'published' : 'absent';
    if (keysAnswer === undefined) {
      return { signature: 'absent', provenance, packages: packages.length, verified: 0, reason: `${opts.registry.host} publishes no signing keys (/-/npm/v1/keys: 404)`, checkedAt };
    }
    const keys = RegistryKeysSchema.parse(keysAnswer);
    const verdicts = packages.map((pkg, i) => verifyPackage(pkg, dists[i] as VersionDist, keys));
    const verified = verdicts.filter((v) => v.kind === 'verified').length;
    const invalid = verdicts.flatMap((v) => (v.kind === 'invalid' ? [v.reason] : []));
    const missing = packages.filter((_, i) => verdicts[i]?.kind === 'missing').map((p) => `${p.name}@${p.version}`);
    const base = { provenance, packages: packages.length, verified, checkedAt } as const;
    if (invalid.length > 0) return { ...base, signature: 'invalid', reason: listed(invalid, '; ') };
    if (missing.length > 0) return { ...base, signature: 'absent', reason: `${missing.length} of ${packages.length} packages carry no signature: ${listed(missing, ', ')}` };
    return { ...base, signature: 'verified' };
  } catch (error) {
    if (opts.signal?.aborted) throw codedError('INSTALL_FAILED', { subject: 'The signature check', problem: 'was cancelled.' });
    const why = error instanceof z.ZodError ? 'the registry answered in an unknown shape' : error instanceof Error ? error.message : String(error);
    return { signature: 'unchecked', provenance: 'absent', packages: packages.length, verified: 0, reason: why.slice(0, 300), checkedAt };
  }
}

function listed(items: string[], separator: string): string {
  return `${items.slice(0, 3).join(separator)}${items.length > 3 ? ` and ${items.length - 3} more` : ''}`.slice(0, 900);
}
