import { z } from 'zod';
import { ApprovalRecordSchema, ApprovalRequestSchema, DigestSchema } from '../management/permissions/approval-record.js';
import { operation } from './operation.js';
import { PluginViewSchema } from './records.js';

const pluginName = z.string().trim().min(1).max(300);

/** What approving answered: the stored approval, and the plugin's view when it is installed. */
export const ApproveAnswerSchema = z.object({ approval: ApprovalRecordSchema, plugin: PluginViewSchema.optional() });
/** A plugin's consent request (null when its approval covers what is installed) and its stored approval. */
export const ApprovalStateSchema = z.object({ request: ApprovalRequestSchema.nullable(), approval: ApprovalRecordSchema.nullable() });

/** Approval of what isolated plugins may do (issue 18). */
export const approvalOperations = {
  approval: operation({
    method: 'GET',
    path: '/plugins/approval',
    input: z.object({ plugin: pluginName }),
    output: ApprovalStateSchema,
    handler: (s, q) => s.management.approvalState(q.plugin),
  }),
  approvals: operation({
    method: 'GET',
    path: '/plugins/approvals',
    input: undefined,
    output: z.array(ApprovalRequestSchema),
    handler: async (s) => s.management.pendingApprovals(),
  }),
  approve: operation({
    method: 'POST',
    path: '/plugins/approve',
    input: z.strictObject({
      plugin: pluginName,
      /** The digest of the request the person was shown: a package that changed since is asked about again. */
      digest: DigestSchema.optional(),
      /** Activate it once approved. */
      activate: z.boolean().default(false),
      /** The surface the person approved on; a request that says nothing is the API's. */
      channel: z.enum(['cli', 'panel', 'api']).default('api'),
      by: z.string().trim().min(1).max(200).optional(),
    }),
    output: ApproveAnswerSchema,
    handler: (s, b) => s.management.approve(b.plugin, b),
  }),
};
