import type { AgentRuntime } from '@elizaos/core';
import { PluginDynamicError } from '../errors.js';
import type { PluginCreationService } from '../creation/plugin-creation-service.js';
import type { PluginManagementService } from '../management/plugin-management-service.js';
import type { Backend } from './backend.js';
import { startHeadlessRuntime } from './headless-runtime.js';
import { followJob } from './job-progress.js';
import { runAction } from './run-action.js';

/** The services in a runtime of the CLI's own, on PGLite in the data folder. */
export async function headlessBackend(dataDir: string): Promise<Backend> {
  const runtime: AgentRuntime = await startHeadlessRuntime(dataDir);
  const management = runtime.getService<PluginManagementService>('plugin_management');
  const creation = runtime.getService<PluginCreationService>('plugin_creation');
  if (!management || !creation) throw new PluginDynamicError('INTERNAL', 'The plugin-dynamic services did not start.');
  return {
    mode: 'headless',
    search: (query, opts) => management.search(query, opts),
    info: (name) => management.registryInfo(name),
    list: async () => management.list(),
    install: (source, activate) => management.install(source, { activate }),
    configure: (plugin, values) => management.configure(plugin, values),
    lifecycle: (verb, plugin) => management[verb](plugin),
    uninstall: (plugin) => management.uninstall(plugin),
    createFromSpec: (spec, opts) => creation.createFromSpec(spec, opts),
    createFromDescription: (text, opts) => creation.createFromDescription(text, opts),
    jobs: async () => creation.listJobs(),
    job: async (id) => creation.getJob(id),
    cancel: (id) => creation.cancel(id),
    follow: (id, opts) => followJob(creation, id, opts),
    capabilities: async () => creation.capabilities(),
    runAction: (name, text) => runAction(runtime, name, text),
    close: async () => {
      await runtime.getCache('plugin-dynamic:cli:flush');
      await runtime.stop();
      await runtime.close();
    },
  };
}
