import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../errors.js';
import { runAction } from '../shared/eliza/run-action.js';
import type { PluginView } from './plugin-view.js';

/** What trying an action answered: exactly the action's own result, or what it sent through its callback. */
export interface ActionTrial {
  plugin: string;
  action: string;
  message: string;
  success: boolean;
  text: string;
  /** The action's own data, when it returned any. */
  data?: Record<string, unknown>;
}

/**
 * Runs one action of an installed, active plugin with a message, the way the runtime runs an action
 * the model chose (no model needed): a real message in a real room, runtime.processActions, the
 * action's result. The action must belong to a plugin plugin-dynamic manages.
 */
export async function tryPluginAction(
  runtime: IAgentRuntime,
  plugins: PluginView[],
  input: { action: string; message: string; plugin?: string | undefined },
): Promise<ActionTrial> {
  const wanted = input.action.trim();
  const candidates = input.plugin ? plugins.filter((p) => p.packageName === input.plugin || p.pluginName === input.plugin) : plugins;
  if (input.plugin && candidates.length === 0) {
    throw codedError('INVALID_INPUT', { input: `The plugin ${input.plugin}`, problem: 'is not installed.' });
  }
  const holder = candidates.find((p) => p.components.actions.some((a) => a.toUpperCase() === wanted.toUpperCase()));
  if (!holder) {
    const offered = candidates.flatMap((p) => p.components.actions.map((a) => `${a} (${p.packageName})`));
    throw codedError('INVALID_INPUT', {
      input: `The action ${wanted}`,
      problem: `is not an action of an installed plugin (${offered.length ? `actions: ${offered.join(', ')}` : 'none is installed yet'}).`,
    });
  }
  if (holder.status !== 'active') {
    throw codedError('NEEDS_CONFIGURATION', {
      plugin: holder.packageName,
      action: `run ${wanted}`,
      problem: `it is ${holder.status.replace('_', ' ')}${holder.missingSettings.length ? ` (needs ${holder.missingSettings.join(', ')})` : ''}`,
    });
  }
  const actionName = holder.components.actions.find((a) => a.toUpperCase() === wanted.toUpperCase()) ?? wanted;
  const run = await runAction(runtime, actionName, input.message);
  const first = run.results[0];
  const text = first?.text ?? run.replies.map((r) => r.text ?? '').filter(Boolean).join('\n');
  return {
    plugin: holder.packageName,
    action: actionName,
    message: input.message,
    success: first?.success ?? false,
    text: text || '(no answer)',
    ...(first?.data && typeof first.data === 'object' ? { data: first.data } : {}),
  };
}
