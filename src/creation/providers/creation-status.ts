import type { IAgentRuntime, Provider, ProviderResult } from '@elizaos/core';
import { TERMINAL_JOB_STATUSES } from '../jobs/job-status.js';
import type { PluginCreationService } from '../plugin-creation-service.js';
import { PLUGIN_CREATION_SERVICE } from '../../service-types.js';

/** Jobs that are queued or running, and the latest finished one. */
export const pluginCreationStatusProvider: Provider = {
  name: 'plugin_creation_status',
  description: 'Plugin creation jobs in progress and the most recent result.',
  get: async (runtime: IAgentRuntime): Promise<ProviderResult> => {
    const service = runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE);
    const jobs = service?.listJobs({ limit: 10 }) ?? [];
    const active = jobs.filter((j) => !TERMINAL_JOB_STATUSES.includes(j.status));
    const latest = jobs.find((j) => TERMINAL_JOB_STATUSES.includes(j.status));
    if (active.length === 0 && !latest) return { text: '', values: { activePluginJobs: 0 }, data: {} };
    const lines = active.map((j) => `- ${j.id.slice(0, 8)} ${j.pluginName}: ${j.status}, ${j.phase ?? 'waiting'}, iteration ${j.iteration}, ${j.progress}%`);
    if (latest) lines.push(`- latest finished: ${latest.id.slice(0, 8)} ${latest.pluginName}: ${latest.status}${latest.error ? ` (${latest.error.code})` : ''}`);
    return {
      text: `# Plugin creation\n${lines.join('\n')}`,
      values: { activePluginJobs: active.length },
      data: { jobs: active.map((j) => ({ id: j.id, status: j.status, phase: j.phase, progress: j.progress })) },
    };
  },
};
