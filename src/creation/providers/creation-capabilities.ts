import type { IAgentRuntime, Provider, ProviderResult } from '@elizaos/core';
import type { PluginCreationService } from '../plugin-creation-service.js';

/** Which generator a new job would use, the limits, the toolchain and the sandbox. */
export const pluginCreationCapabilitiesProvider: Provider = {
  name: 'plugin_creation_capabilities',
  description: 'What plugin creation can do here: generator, model, limits, toolchain, sandbox.',
  dynamic: true,
  get: async (runtime: IAgentRuntime): Promise<ProviderResult> => {
    const service = runtime.getService<PluginCreationService>('plugin_creation');
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
      ].join('\n'),
      values: { pluginGenerator: c.effectiveGenerator, pluginSandbox: c.sandbox },
      data: { capabilities: c },
    };
  },
};
