import { codedError, isPluginDynamicError } from '../../errors.js';
import { stringParam } from '../../shared/eliza/action-input.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';
import { approvalRequestText } from '../permissions/approval-request.js';
import type { ApprovalRequest } from '../permissions/approval-record.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { pluginLine } from './plugin-summary.js';
import { PLUGIN_PARAMETER, targetPlugin } from './target-plugin.js';

const REFUSAL = /\b(no|nope|deny|denied|don'?t|do not|refuse|reject|cancel)\b/i;

/** The request a "yes" answers: the plugin named, else the one request waiting. */
async function waitingRequest(service: PluginManagementService, params: Record<string, unknown>, text: string, askModel: (names: string[]) => Promise<Record<string, unknown>>): Promise<{ plugin: string; request: ApprovalRequest | undefined }> {
  const pending = service.pendingApprovals();
  const named = stringParam(params, 'plugin') ?? pending.find((r) => text.toLowerCase().includes(r.packageName.toLowerCase()))?.packageName;
  if (named) return { plugin: named, request: pending.find((r) => r.packageName === named) };
  if (pending.length === 1 && pending[0]) return { plugin: pending[0].packageName, request: pending[0] };
  if (pending.length > 1) {
    throw codedError('PLUGIN_AMBIGUOUS', { word: 'That', candidates: pending.map((r) => r.packageName).join(' or '), purpose: ' to allow' });
  }
  const plugin = await targetPlugin(service.list(), params, text, 'approve', askModel);
  return { plugin, request: undefined };
}

/**
 * The user's answer in chat to a consent request the agent showed (an activation refused with
 * APPROVAL_REQUIRED): "yes" approves the request that was shown (bound to the digest shown) and
 * activates the plugin; "no" leaves it. Asked about a plugin with no request shown yet, it shows
 * the request first and waits for the yes.
 */
export const approvePluginAction = serviceAction<PluginManagementService>({
  name: 'APPROVE_PLUGIN',
  similes: ['ALLOW_PLUGIN', 'GRANT_PLUGIN_PERMISSIONS', 'approvePlugin'],
  description:
    'Answer a plugin permission request the agent showed: when the user says yes (allow it), approve what the isolated plugin asks for and activate it; when the user says no, leave it inactive.',
  serviceType: PLUGIN_MANAGEMENT_SERVICE,
  parameters: PLUGIN_PARAMETER,
  examples: [
    [
      { name: '{{user}}', content: { text: 'yes, allow plugin-notes' } },
      { name: '{{agent}}', content: { text: 'Approved plugin-notes@1.0.0: active.', actions: ['APPROVE_PLUGIN'] } },
    ],
  ],
  run: async ({ service, message, params, text, askModel }) => {
    const { plugin, request } = await waitingRequest(service, params, text, askModel);
    if (REFUSAL.test(text)) {
      return { text: `Not approved: ${plugin} stays inactive. Ask again to see what it asks for.`, data: { approved: false, plugin } };
    }
    if (!request) {
      // Nothing was shown for it yet: activating shows the request (or needs none).
      try {
        const view = await service.activate(plugin);
        return { text: `${pluginLine(view)}; it needed no new approval.`, data: { plugin: view } };
      } catch (error) {
        const shown = isPluginDynamicError(error) && error.code === 'APPROVAL_REQUIRED' ? service.pendingApprovals().find((r) => r.packageName === plugin) : undefined;
        if (!shown) throw error;
        return { text: [...approvalRequestText(shown), `Allow it? Answer "yes, allow ${shown.packageName}".`].join('\n'), data: { request: shown } };
      }
    }
    const by = typeof message.entityId === 'string' ? message.entityId : undefined;
    const answer = await service.approve(request.packageName, { channel: 'chat', by, digest: request.digest, activate: true });
    const line = answer.plugin ? pluginLine(answer.plugin) : `${answer.approval.packageName}@${answer.approval.version}`;
    return { text: `Approved ${line}.`, data: { approval: answer.approval, ...(answer.plugin ? { plugin: answer.plugin } : {}) } };
  },
});
