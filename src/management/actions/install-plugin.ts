import { codedError } from '../../errors.js';
import { packageLikeTokens, stringParam } from '../../shared/eliza/action-input.js';
import { hasTextModel } from '../../shared/eliza/ask-model-params.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginManagementService } from '../plugin-management-service.js';
import { pluginLine, trustLine } from './plugin-summary.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../service-types.js';
import { fleetSourceOf } from '../../fleet/fleet-source.js';

/** Words around the source that are part of the sentence, not of the name ("install the X plugin please"). */
const LEADING_WORDS = /^(?:(?:the|a|an)\s+)?(?:plugin\s+)?/i;
const TRAILING_WORDS = /(?:\s+(?:please|now|for\s+me|plugin|package|to\s+the\s+agent|from\s+the\s+registry))+$/i;

/**
 * The install source in a request: a parameter, else everything the user wrote after "install"
 * (minus the sentence's own words), else the one package-like word. The whole text is handed on,
 * so "x@latest && curl" or "a;rm -rf ~" is refused as a whole instead of being cut to "x" or "a".
 */
export function sourceIn(params: Record<string, unknown>, text: string): string {
  const explicit = stringParam(params, 'source');
  if (explicit) return explicit;
  const afterVerb = /\binstall\s+([^\n]+)/i.exec(text)?.[1];
  if (afterVerb !== undefined) {
    const source = afterVerb.trim().replace(/[.!?]+$/, '').replace(TRAILING_WORDS, '').replace(LEADING_WORDS, '').trim();
    if (source !== '' && !/^(plugin|it|this|that)$/i.test(source)) return source;
  }
  const tokens = packageLikeTokens(text);
  if (tokens.length === 1 && tokens[0]) return tokens[0];
  if (tokens.length > 1) {
    throw codedError('PLUGIN_AMBIGUOUS', { word: 'That', candidates: tokens.join(' or '), purpose: ' to install' });
  }
  throw codedError('INVALID_INPUT', WHICH_PLUGIN);
}

/**
 * The install source: what the user wrote (sourceIn); when the message names none and the agent has
 * a text model, the model is asked to read it from the message (its answer is parsed as strictly as
 * the user's words), otherwise the user is asked.
 */
async function installSource(
  params: Record<string, unknown>,
  text: string,
  askModel: (names: string[]) => Promise<Record<string, unknown>>,
  hasModel: boolean,
): Promise<string> {
  try {
    return sourceIn(params, text);
  } catch (error) {
    if (!hasModel || (error as { code?: string }).code !== 'INVALID_INPUT') throw error;
    const asked = stringParam(await askModel(['source']), 'source');
    if (asked) return asked;
    throw error;
  }
}

const WHICH_PLUGIN = {
  input: 'Which plugin should I install?',
  problem: 'Give a registry name (e.g. "weather"), "name@version", "github:owner/repo", a folder or a .tgz file.',
};

export const installPluginAction = serviceAction<PluginManagementService>({
  name: 'INSTALL_PLUGIN',
  similes: ['ADD_PLUGIN', 'installPlugin', 'installPluginFromRegistry'],
  description:
    "Install a plugin from the ElizaOS registry, npm, GitHub, the fleet's stored builds (fleet:name), a local folder or a tarball, and load it when it needs no settings.",
  serviceType: PLUGIN_MANAGEMENT_SERVICE,
  parameters: {
    source: { type: 'string', description: 'what to install: a registry name, name@version, github:owner/repo, fleet:name, a folder or a .tgz path' },
    activate: { type: 'boolean', description: 'load it after installing when it needs no settings (default true)' },
  },
  examples: [
    [
      { name: '{{user}}', content: { text: 'Install @elizaos/plugin-bootstrap' } },
      { name: '{{agent}}', content: { text: 'Installed @elizaos/plugin-bootstrap@1.7.2: active', actions: ['INSTALL_PLUGIN'] } },
    ],
  ],
  run: async ({ service, runtime, params, text, askModel }) => {
    // On a PostgreSQL agent, a name that is exactly one of the fleet's builds installs that build.
    const source = await fleetSourceOf(runtime, await installSource(params, text, askModel, hasTextModel(runtime)));
    const activate = params['activate'] !== false;
    const view = await service.install(source, { activate });
    const next =
      view.status === 'needs_configuration'
        ? ` Set ${view.missingSettings.join(', ')} with CONFIGURE_PLUGIN, then activate it.`
        : view.status === 'installed'
          ? ' Activate it with ACTIVATE_PLUGIN.'
          : '';
    const from = source.startsWith('fleet:') ? " from the fleet's stored builds, its sha256 checked" : '';
    return { text: `Installed ${pluginLine(view)}${from} (trust: ${trustLine(view)}).${next}`, data: { plugin: view } };
  },
});
