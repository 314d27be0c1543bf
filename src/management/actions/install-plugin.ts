import { PluginDynamicError } from '../../errors.js';
import { packageLikeTokens, stringParam } from '../../shared/eliza/action-input.js';
import { hasTextModel } from '../../shared/eliza/ask-model-params.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { pluginLine } from './plugin-summary.js';

/**
 * The install source in a request: a parameter, a package-like word, then what the agent's model
 * reads from the message; without a model, the word after "install".
 */
async function sourceIn(
  params: Record<string, unknown>,
  text: string,
  askModel: (names: string[]) => Promise<Record<string, unknown>>,
  hasModel: boolean,
): Promise<string> {
  const explicit = stringParam(params, 'source');
  if (explicit) return explicit;
  const tokens = packageLikeTokens(text);
  if (tokens.length === 1 && tokens[0]) return tokens[0];
  if (tokens.length > 1) {
    throw new PluginDynamicError('PLUGIN_AMBIGUOUS', `Which one should I install: ${tokens.join(' or ')}?`);
  }
  if (hasModel) {
    const asked = stringParam(await askModel(['source']), 'source');
    if (asked) return asked;
    throw new PluginDynamicError('INVALID_INPUT', WHICH_PLUGIN);
  }
  const word = /\binstall\s+(?:the\s+|a\s+)?([a-z0-9][\w.-]*)/i.exec(text)?.[1];
  if (word && !/^(plugin|it|this|that)$/i.test(word)) return word;
  throw new PluginDynamicError('INVALID_INPUT', WHICH_PLUGIN);
}

const WHICH_PLUGIN =
  'Which plugin should I install? Give a registry name (e.g. "weather"), "name@version", "github:owner/repo", a folder or a .tgz file.';

export const installPluginAction = serviceAction<PluginManagementService>({
  name: 'INSTALL_PLUGIN',
  similes: ['ADD_PLUGIN', 'installPlugin', 'installPluginFromRegistry'],
  description:
    'Install a plugin from the ElizaOS registry, npm, GitHub, a local folder or a tarball, and load it when it needs no settings.',
  serviceType: 'plugin_management',
  parameters: {
    source: { type: 'string', description: 'what to install: a registry name, name@version, github:owner/repo, a folder or a .tgz path' },
    activate: { type: 'boolean', description: 'load it after installing when it needs no settings (default true)' },
  },
  examples: [
    [
      { name: '{{user}}', content: { text: 'Install @elizaos/plugin-bootstrap' } },
      { name: '{{agent}}', content: { text: 'Installed @elizaos/plugin-bootstrap@1.7.2: active', actions: ['INSTALL_PLUGIN'] } },
    ],
  ],
  run: async ({ service, runtime, params, text, askModel }) => {
    const source = await sourceIn(params, text, askModel, hasTextModel(runtime));
    const activate = params['activate'] !== false;
    const view = await service.install(source, { activate });
    const next =
      view.status === 'needs_configuration'
        ? ` Set ${view.missingSettings.join(', ')} with CONFIGURE_PLUGIN, then activate it.`
        : view.status === 'installed'
          ? ' Activate it with ACTIVATE_PLUGIN.'
          : '';
    return { text: `Installed ${pluginLine(view)}.${next}`, data: { plugin: view } };
  },
});
