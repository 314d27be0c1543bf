import type { IAgentRuntime, Provider, ProviderResult } from '@elizaos/core';
import type { PluginCreationService } from '../plugin-creation-service.js';
import { PLUGIN_CREATION_SERVICE } from '../../service-types.js';

/** What works with no model registered (everything but chat). */
export const WITHOUT_MODEL_WORKS =
  'the CLI, the HTTP API, the web panel and the TypeScript API work without one, and the template generator writes plugins offline';

/** Which generator a new job would use, the limits, the toolchain, the sandbox, and what needs a model. */
export const pluginCreationCapabilitiesProvider: Provider = {
  name: 'plugin_creation_capabilities',
  description: 'What plugin creation can do here: generator, model, limits, toolchain, sandbox, runtime, and whether chat has a model.',
  dynamic: true,
  get: async (runtime: IAgentRuntime): Promise<ProviderResult> => {
    const service = runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE);
    if (!service) return { text: '', values: {}, data: {} };
    const c = service.capabilities();
    const toolchain = c.toolchain ? Object.entries(c.toolchain).map(([k, v]) => `${k} ${v}`).join(', ') : 'prepared on first use';
    return {
      text: [
        '# Plugin creation capabilities',
        `Generator: ${c.effectiveGenerator} (setting ${c.generator}; model ${c.modelAvailable ? 'available' : 'not available'})`,
        `Sandbox: ${c.sandbox}; memory and processes per job: ${c.resourceBounds}; workspace at most ${c.limits.workspaceLimitMb} MB`,
        `Limits: ${c.limits.maxIterations} iterations, ${c.limits.maxConcurrentJobs} concurrent jobs, ${c.limits.jobsPerHour} per hour`,
        `Toolchain: ${toolchain}`,
        ...(c.runtime ? [`Runtime: agent on ${c.runtime.agent}; child processes on ${c.runtime.children}`] : []),
        c.modelAvailable
          ? 'Chat: a TEXT_LARGE model answers messages.'
          : `Chat: no TEXT_LARGE model, so chat messages get no answer (bootstrap replies through TEXT_LARGE); ${WITHOUT_MODEL_WORKS}.`,
      ].join('\n'),
      values: { pluginGenerator: c.effectiveGenerator, pluginSandbox: c.sandbox, chatNeedsModel: !c.modelAvailable },
      data: { capabilities: c },
    };
  },
};
