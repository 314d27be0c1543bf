import { z } from 'zod';
import { PermissionsSchema } from './plugin-permissions.js';

/** Where a person approved what a plugin asks for; `creation` is a creation job the user asked for. */
export const APPROVAL_CHANNELS = ['cli', 'panel', 'chat', 'api', 'creation'] as const;
export type ApprovalChannel = (typeof APPROVAL_CHANNELS)[number];

/**
 * The integrity digest of an installed package: npm's `integrity` of the package in its install
 * folder's lockfile (`sha512-...`, the tarball's hash), or `tree-sha256-<hex>` over its files when
 * the lockfile records none.
 */
export const DigestSchema = z.string().min(8).max(200).regex(/^[A-Za-z0-9+/=_-]+$/, 'a digest is written sha512-... or tree-sha256-...');

/** One plugin's stored approval: what was approved, for which bytes, when, through which surface, by whom. */
export const ApprovalRecordSchema = z.strictObject({
  packageName: z.string().min(1).max(300),
  version: z.string().min(1).max(100),
  digest: DigestSchema,
  /** The permissions approved, normalized (what the host enforces). */
  permissions: PermissionsSchema,
  approvedAt: z.iso.datetime(),
  channel: z.enum(APPROVAL_CHANNELS),
  /** Who approved, when the surface knows (the chat's entity id, the CLI's user, a creation job). */
  by: z.string().min(1).max(200).optional(),
});
export type ApprovalRecord = z.output<typeof ApprovalRecordSchema>;

/** What a plugin asks for now, shown before it may run isolated: the consent request. */
export const ApprovalRequestSchema = z.object({
  packageName: z.string(),
  version: z.string(),
  digest: DigestSchema,
  permissions: PermissionsSchema,
  /** describePermissions: one line per permission, in words a person can judge. */
  lines: z.array(z.string()),
  /** permissionDiff against what was approved before (an upgrade or replace); empty on a first approval. */
  diff: z.array(z.string()),
  /** What was approved before, when anything was. */
  previous: z.object({ version: z.string(), digest: DigestSchema }).optional(),
  /** Why the request is made: first activation, new content, or new permissions. */
  reason: z.enum(['first', 'content', 'permissions']),
  /** What was wrong with the plugin's declaration (it then gets the least). */
  problems: z.array(z.string()),
});
export type ApprovalRequest = z.output<typeof ApprovalRequestSchema>;
