import { codedError } from '../../errors.js';
import { stringParam } from '../../shared/eliza/action-input.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { Confirmation } from '../in-process-confirmation.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import type { IsolationChoice } from '../state/plugin-record.js';
import { pluginLine } from './plugin-summary.js';
import { PLUGIN_PARAMETER, targetPlugin } from './target-plugin.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';

/** The mode a request asks for: a `mode` parameter, else words in the text. */
function requestedMode(params: Record<string, unknown>, text: string): IsolationChoice {
  const given = stringParam(params, 'mode');
  const words = ` ${(given ?? text).toLowerCase()} `;
  if (/\b(default|reset)\b/.test(words)) return 'default';
  if (/in-process|in process|inside the agent|trust(ed)?\b|not isolated|unisolated/.test(words)) return 'in-process';
  if (/\b(isolat(e|ed|ion)|sandbox(ed)?|separate process|own process)\b/.test(words)) return 'isolated';
  throw codedError('INVALID_INPUT', { input: 'The mode', problem: 'is missing: say whether the plugin should run isolated, in-process, or by the default rule.' });
}

/** The one-time code a person copied from the agent's terminal: a `code` parameter, else "code XXXX-XXXX" in the text. */
function confirmation(plugin: string, params: Record<string, unknown>, text: string): Confirmation | undefined {
  const code = stringParam(params, 'code') ?? /\bcode\s*:?\s*([A-Z2-9]{4}-?[A-Z2-9]{4})\b/i.exec(text)?.[1];
  return code ? { name: plugin, code } : undefined;
}

export const setPluginIsolationAction = serviceAction<PluginManagementService>({
  name: 'SET_PLUGIN_ISOLATION',
  similes: ['ISOLATE_PLUGIN', 'SANDBOX_PLUGIN', 'TRUST_PLUGIN', 'setPluginIsolation'],
  description:
    "Choose where an installed plugin's code runs: isolated (a sandboxed process of its own), in-process (inside the agent, only for trusted code), or the default for its trust tier.",
  serviceType: PLUGIN_MANAGEMENT_SERVICE,
  parameters: {
    ...PLUGIN_PARAMETER,
    mode: { type: 'string', description: 'where it runs: "isolated", "in-process" or "default"' },
    code: { type: 'string', description: "to run a plugin in-process: the one-time code the agent printed on its terminal" },
  },
  run: async ({ service, params, text, askModel }) => {
    const plugin = await targetPlugin(service.list(), params, text, 'isolate', askModel);
    const mode = requestedMode(params, text);
    const view = await service.setIsolation(plugin, mode, { confirm: confirmation(plugin, params, text) });
    return { text: `${pluginLine(view)}; it runs ${view.isolation} (${view.isolationDecidedBy}).`, data: { plugin: view } };
  },
});
