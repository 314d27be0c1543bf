import { z } from 'zod';

/**
 * What the install found of the npm registry's signatures on a plugin's packages, kept on its
 * record and shown beside its trust tier.
 * - `verified`: every package of the install that came from the registry carries a registry
 *   signature, and each checks against the registry's published keys;
 * - `invalid`: at least one signature is present but does not check (an in-process load is refused);
 * - `absent`: the registry publishes no keys, or some package carries no signature;
 * - `unchecked`: the check could not run (the reason says why);
 * - `local`: the plugin does not come from the npm registry (a folder, a tarball, GitHub, a job).
 */
export const SIGNATURE_VERDICTS = ['verified', 'invalid', 'absent', 'unchecked', 'local'] as const;
export type SignatureVerdict = (typeof SIGNATURE_VERDICTS)[number];

/** Whether the registry publishes a provenance attestation for the plugin's own package (its bundle is not verified here). */
export const PROVENANCE_VERDICTS = ['published', 'absent', 'local'] as const;

export const SignatureCheckSchema = z.object({
  signature: z.enum(SIGNATURE_VERDICTS),
  provenance: z.enum(PROVENANCE_VERDICTS),
  /** Packages of the install that came from the registry, and how many of them carry a signature that checks. */
  packages: z.number().int().min(0),
  verified: z.number().int().min(0),
  /** Why the verdict is not `verified`, in words. */
  reason: z.string().max(1_000).optional(),
  checkedAt: z.string(),
});
export type SignatureCheck = z.infer<typeof SignatureCheckSchema>;

/** The check of a plugin that does not come from the npm registry: nothing to verify. */
export function unsignedSource(kind: 'folder' | 'tarball' | 'github' | 'generated'): SignatureCheck {
  return {
    signature: 'local',
    provenance: 'local',
    packages: 0,
    verified: 0,
    reason: kind === 'github' ? 'GitHub source' : 'local source',
    checkedAt: new Date().toISOString(),
  };
}

/** The short form, for a table column. */
export function signatureTag(check: SignatureCheck | undefined): string {
  if (!check) return 'unchecked';
  const tags: Record<SignatureVerdict, string> = { verified: 'verified', invalid: 'INVALID', absent: 'absent', unchecked: 'unchecked', local: 'not signed' };
  return `${tags[check.signature]}${check.provenance === 'published' ? ' +provenance' : ''}`;
}

/** The words shown beside the trust tier (CLI, chat, panel): one wording everywhere. */
export function signatureWords(check: SignatureCheck | undefined): string {
  if (!check) return 'signature not checked (installed before signatures were checked)';
  const provenance = check.provenance === 'published' ? ', provenance published' : check.provenance === 'absent' ? ', no provenance' : '';
  switch (check.signature) {
    case 'verified':
      return `registry signature verified (${check.verified} of ${check.packages} packages)${provenance}`;
    case 'invalid':
      return `registry signature INVALID: ${check.reason ?? 'a signature does not check'}`;
    case 'absent':
      return `registry signature absent (${check.reason ?? 'not signed'})${provenance}`;
    case 'unchecked':
      return `registry signature not checked (${check.reason ?? 'the check could not run'})`;
    case 'local':
      return `not signed (${check.reason ?? 'local source'})`;
  }
}
