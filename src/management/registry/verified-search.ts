import { z } from 'zod';
import type { NpmV1Verifier } from './npm-v1-verifier.js';
import { REGISTRY_ORIGINS, type RegistryClient } from './registry-client.js';
import { RegistrySearchHitSchema, type RegistrySearchHit } from './search-registry.js';

export const SearchAnswerSchema = z.object({
  hits: z.array(RegistrySearchHitSchema),
  origin: z.enum(REGISTRY_ORIGINS),
  warning: z.string().optional(),
});
export type SearchAnswer = z.output<typeof SearchAnswerSchema>;

/**
 * Registry matches, with the registry's 1.x claim checked against npm when `v1Only`: an entry npm
 * refuses (no 1.x release, or one built on core 0.x) is left out and named in the warning; one npm
 * could not answer about is kept and marked unverified (the install checks it again).
 * `verify: 'cached'` asks npm nothing and uses only verdicts already known.
 */
export async function verifiedSearch(
  registry: RegistryClient,
  verifier: NpmV1Verifier,
  query: string,
  opts: { limit?: number; v1Only?: boolean; signal?: AbortSignal; verify?: 'npm' | 'cached' } = {},
): Promise<SearchAnswer> {
  const { verify = 'npm', ...rest } = opts;
  if (!opts.v1Only) return registry.search(query, rest);
  const limit = opts.limit ?? 10;
  // Room for the entries npm refuses.
  const answer = await registry.search(query, { ...rest, limit: limit * 2 });
  const names = answer.hits.map((h) => h.entry.name);
  const checks =
    verify === 'cached'
      ? new Map(names.map((n) => [n, verifier.cached(n)] as const))
      : await verifier.verify(names, opts.signal ? { signal: opts.signal } : {});
  const refused: string[] = [];
  const hits: RegistrySearchHit[] = [];
  for (const hit of answer.hits) {
    const check = checks.get(hit.entry.name) ?? { status: 'unverified' as const, reason: 'not checked against npm yet' };
    if (check.status === 'refused') refused.push(hit.entry.name);
    else hits.push({ ...hit, npm: check });
  }
  const left = refused.length
    ? `Left out ${refused.join(', ')}: the registry marks ${refused.length > 1 ? 'them' : 'it'} ElizaOS 1.x, but npm has no usable 1.x release.`
    : undefined;
  const warning = [answer.warning, left].filter(Boolean).join(' ');
  return { hits: hits.slice(0, limit), origin: answer.origin, ...(warning ? { warning } : {}) };
}
