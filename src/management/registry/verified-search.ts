import { z } from 'zod';
import { PluginDynamicError } from '../../errors.js';
import type { NpmV1Verifier } from './npm-v1-verifier.js';
import { REGISTRY_ORIGINS, type RegistryClient } from './registry-client.js';
import { RegistrySearchHitSchema, type RegistrySearchHit } from './search-registry.js';

export const SearchAnswerSchema = z.object({
  hits: z.array(RegistrySearchHitSchema),
  origin: z.enum(REGISTRY_ORIGINS),
  warning: z.string().optional(),
  /**
   * With `v1Only`: how many registry entries match the query but are not offered (no 1.x support,
   * npm has no usable 1.x release, or npm could not be asked), so a surface can suggest `--all`.
   */
  hidden: z.number().int().optional(),
});
export type SearchAnswer = z.output<typeof SearchAnswerSchema>;

/** Every entry a query can match, to count those a 1.x search hides. */
const ALL = 100_000;

/**
 * Registry matches, with the registry's 1.x claim checked against npm when `v1Only`: only an entry
 * npm confirms has a usable 1.x release is offered as installable. One npm refuses (no 1.x release,
 * or one built on core 0.x) or could not be asked about in time is left out and named in the warning.
 * `verify: 'cached'` asks npm nothing and uses only verdicts already known.
 *
 * @throws PluginDynamicError REGISTRY_UNAVAILABLE when there is no registry at all (no network, no
 * cached copy): an unreachable registry is not an empty one.
 */
export async function verifiedSearch(
  registry: RegistryClient,
  verifier: NpmV1Verifier,
  query: string,
  opts: { limit?: number; v1Only?: boolean; signal?: AbortSignal; verify?: 'npm' | 'cached' } = {},
): Promise<SearchAnswer> {
  const { verify = 'npm', ...rest } = opts;
  if (!opts.v1Only) return available(await registry.search(query, rest));
  const limit = opts.limit ?? 10;
  // Room for the entries npm refuses.
  const answer = available(await registry.search(query, { ...rest, limit: limit * 2 }));
  const names = answer.hits.map((h) => h.entry.name);
  const checks =
    verify === 'cached'
      ? new Map(names.map((n) => [n, verifier.cached(n)] as const))
      : await verifier.verify(names, opts.signal ? { signal: opts.signal } : {});
  const refused: string[] = [];
  const unchecked: string[] = [];
  const hits: RegistrySearchHit[] = [];
  for (const hit of answer.hits) {
    const check = checks.get(hit.entry.name) ?? { status: 'unverified' as const, reason: 'not checked against npm yet' };
    if (check.status === 'refused') refused.push(hit.entry.name);
    else if (check.status === 'unverified') unchecked.push(hit.entry.name);
    else hits.push({ ...hit, npm: check });
  }
  const left = refused.length
    ? `Left out ${refused.join(', ')}: the registry marks ${refused.length > 1 ? 'them' : 'it'} ElizaOS 1.x, but npm has no usable 1.x release.`
    : undefined;
  const notAsked =
    unchecked.length && verify === 'npm'
      ? `Not offered until npm confirms a 1.x release: ${unchecked.join(', ')} (npm did not answer in time; search again).`
      : undefined;
  const warning = [answer.warning, left, notAsked].filter(Boolean).join(' ');
  const shown = hits.slice(0, limit);
  const [everything, claimingV1] = await Promise.all([
    registry.search(query, { ...rest, limit: ALL, v1Only: false }),
    registry.search(query, { ...rest, limit: ALL, v1Only: true }),
  ]);
  const hidden = everything.hits.length - claimingV1.hits.length + refused.length + unchecked.length;
  return { hits: shown, origin: answer.origin, ...(warning ? { warning } : {}), hidden };
}

function available<T extends { origin: SearchAnswer['origin']; warning?: string }>(answer: T): T {
  if (answer.origin !== 'none') return answer;
  // The warning is already written for a person by the registry client (as in registry-client.ts).
  throw new PluginDynamicError('REGISTRY_UNAVAILABLE', `Cannot search the plugin registry. ${answer.warning ?? 'It could not be read and no copy is cached.'}`);
}
