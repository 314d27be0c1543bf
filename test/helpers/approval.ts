import { isPluginDynamicError } from '../../src/errors.js';
import { ApprovalRequestSchema } from '../../src/management/permissions/approval-record.js';
import type { PluginManagementService } from '../../src/management/plugin-management-service.js';
import type { PluginView } from '../../src/management/plugin-view.js';

/**
 * Runs an install or an activation that the approval gate may refuse (an isolated plugin not yet
 * approved for its digest), and answers the refusal the way a person does: through the real approve
 * path (the service's approve, channel "api", by "test"), bound to the digest the refusal showed,
 * then activated. Any other error is passed on.
 */
export async function approvedStep(management: PluginManagementService, step: () => Promise<PluginView>): Promise<PluginView> {
  try {
    return await step();
  } catch (error) {
    if (!isPluginDynamicError(error) || error.code !== 'APPROVAL_REQUIRED') throw error;
    const request = ApprovalRequestSchema.parse(error.details?.['request']);
    const answer = await management.approve(request.packageName, { channel: 'api', by: 'test', digest: request.digest, activate: true });
    if (!answer.plugin) throw new Error(`${request.packageName} was approved but is not installed.`);
    return answer.plugin;
  }
}
