import { codedError } from '../../errors.js';
import { stringParam } from '../../shared/eliza/action-input.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import { TERMINAL_JOB_STATUSES } from '../jobs/job-status.js';
import type { PluginCreationService } from '../plugin-creation-service.js';
import { jobIdIn } from './job-id.js';
import { PLUGIN_CREATION_SERVICE } from '../../service-types.js';

export const cancelPluginCreationAction = serviceAction<PluginCreationService>({
  name: 'CANCEL_PLUGIN_CREATION',
  similes: ['cancelPluginCreation', 'STOP_PLUGIN_CREATION'],
  description: 'Cancel a plugin creation job (the latest unfinished one when no id is given).',
  serviceType: PLUGIN_CREATION_SERVICE,
  parameters: { jobId: { type: 'string', description: 'the id of a plugin creation job (a UUID or its first 8 characters)' } },
  run: async ({ service, params, text, message }) => {
    const id =
      stringParam(params, 'jobId') ??
      jobIdIn(text) ??
      service.listJobs({ requestedBy: message.entityId }).find((j) => !TERMINAL_JOB_STATUSES.includes(j.status))?.id ??
      service.listJobs().find((j) => !TERMINAL_JOB_STATUSES.includes(j.status))?.id;
    if (!id) throw codedError('JOB_NOT_FOUND', { which: 'is queued or running' });
    const job = await service.cancel(id);
    return { text: `Plugin creation job ${job.id.slice(0, 8)} is ${job.status}.`, data: { job } };
  },
});
