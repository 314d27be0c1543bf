import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../errors.js';
import { agentPluginFor, protectedPluginError } from './install/agent-plugin-guard.js';
import type { PluginLoader } from './loader/index.js';
import type { InstalledPlugins } from './state/installed-plugins.js';
import type { PluginRecord } from './state/plugin-record.js';

/**
 * The agent's own plugins: those it registered before this service started (and plugin-dynamic
 * itself). They are never installed a second time, unloaded or otherwise managed from here.
 */
export class AgentPlugins {
  private readonly names: Set<string>;

  constructor(
    private readonly runtime: IAgentRuntime,
    private readonly loader: PluginLoader,
    private readonly installed: InstalledPlugins,
  ) {
    this.names = new Set([...runtime.plugins.map((p) => p.name), 'plugin-dynamic']);
  }

  /** PROTECTED_PLUGIN when the package would be a second copy of one of the agent's plugins. */
  refuseInstall(packageName: string, pluginName = packageName): void {
    const agentPlugin = agentPluginFor(pluginName, this.names);
    if (agentPlugin) throw protectedPluginError(packageName, agentPlugin);
  }

  /** Whether a package would be a second copy of one of the agent's plugins. */
  owns(pluginName: string): boolean {
    return agentPluginFor(pluginName, this.names) !== undefined;
  }

  /** Like installed.find, but a plugin the agent registered at start-up gets PROTECTED_PLUGIN. */
  findManaged(word: string): PluginRecord {
    const agentPlugin = this.runtime.plugins.find((p) => p.name === word && this.names.has(p.name));
    if (agentPlugin && !this.installed.all().some((r) => r.pluginName === word || r.packageName === word)) {
      throw codedError('PROTECTED_PLUGIN', { plugin: word, as: '', change: 'unloaded' });
    }
    return this.installed.find(word);
  }

  /** PROTECTED_PLUGIN for a record that names one of the agent's plugins which this service did not load. */
  refuse(record: PluginRecord): void {
    if (this.names.has(record.pluginName) && !this.loader.isLoaded(record.pluginName)) {
      throw codedError('PROTECTED_PLUGIN', { plugin: record.pluginName, as: '', change: 'managed' });
    }
  }
}
