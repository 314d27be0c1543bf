import { codedError } from '../../errors.js';
import { stringParam } from '../../shared/eliza/action-input.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginCreationService } from '../plugin-creation-service.js';
import { jobIdIn } from './job-id.js';
import { jobSummary } from './job-summary.js';
import { PLUGIN_CREATION_SERVICE } from '../../service-types.js';

export const checkPluginCreationStatusAction = serviceAction<PluginCreationService>({
  name: 'CHECK_PLUGIN_CREATION_STATUS',
  similes: ['checkPluginCreationStatus', 'PLUGIN_CREATION_STATUS', 'GET_JOB_STATUS'],
  description: "Report a plugin creation job's status, phase, iteration, progress and recent log (the latest job when no id is given).",
  serviceType: PLUGIN_CREATION_SERVICE,
  parameters: { jobId: { type: 'string', description: 'the id of a plugin creation job (a UUID or its first 8 characters)' } },
  run: async ({ service, params, text, message }) => {
    const id = stringParam(params, 'jobId') ?? jobIdIn(text);
    const job = id ? service.getJob(id) : service.latestJob(message.entityId);
    if (!job) throw codedError('JOB_NOT_FOUND', { which: 'exists yet' });
    return { text: jobSummary(job), data: { job } };
  },
});
