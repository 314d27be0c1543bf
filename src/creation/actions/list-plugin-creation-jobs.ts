import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginCreationService } from '../plugin-creation-service.js';
import { PLUGIN_CREATION_SERVICE } from '../../service-types.js';

export const listPluginCreationJobsAction = serviceAction<PluginCreationService>({
  name: 'LIST_PLUGIN_CREATION_JOBS',
  similes: ['listPluginCreationJobs', 'SHOW_PLUGIN_JOBS'],
  description: 'List recent plugin creation jobs with their status and progress.',
  serviceType: PLUGIN_CREATION_SERVICE,
  parameters: {},
  run: async ({ service }) => {
    const jobs = service.listJobs({ limit: 10 });
    const lines = jobs.map(
      (j) => `- ${j.id.slice(0, 8)} ${j.pluginName}: ${j.status}${j.status === 'running' ? ` (${j.phase ?? 'starting'}, ${j.progress}%)` : ''}`,
    );
    return {
      text: jobs.length ? `Plugin creation jobs:\n${lines.join('\n')}` : 'No plugin creation jobs yet.',
      data: { jobs: jobs.map((j) => ({ id: j.id, pluginName: j.pluginName, status: j.status, progress: j.progress })) },
    };
  },
});
