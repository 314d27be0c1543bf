import { codedError } from '../../errors.js';
import { packageLikeTokens, stringParam, type ActionParameters } from '../../shared/eliza/action-input.js';
import type { PluginView } from '../plugin-view.js';

const baseName = (name: string): string => name.toLowerCase().replace(/^@[^/]+\//, '').replace(/^plugin-/, '');

/** The `plugin` parameter every action about one installed plugin declares. */
export const PLUGIN_PARAMETER = {
  plugin: { type: 'string', description: 'the installed plugin the message is about (package or plugin name)' },
} as const satisfies ActionParameters;

/**
 * Which installed plugin a request is about: a `plugin` parameter, else an installed plugin named
 * in the text (package name, plugin name or base name), else, when the agent has a model, the
 * plugin the model reads from the message (only if it is installed). Asks when there is none or
 * several.
 */
export async function targetPlugin(
  installed: PluginView[],
  params: Record<string, unknown>,
  text: string,
  verb: string,
  askModel: (names: string[]) => Promise<Record<string, unknown>>,
): Promise<string> {
  const explicit = stringParam(params, 'plugin');
  if (explicit) return explicit;
  const hits = namedIn(installed, text);
  if (hits.length === 0) {
    const asked = stringParam(await askModel(['plugin']), 'plugin');
    if (asked) hits.push(...namedIn(installed, asked));
  }
  if (hits.length === 1 && hits[0]) return hits[0].packageName;
  if (hits.length > 1) {
    throw codedError(
      'PLUGIN_AMBIGUOUS',
      { word: 'That', candidates: hits.map((h) => h.packageName).join(' or '), purpose: ` to ${verb}` },
      { details: { candidates: hits.map((h) => h.packageName) } },
    );
  }
  const names = installed.map((p) => p.packageName);
  throw codedError('INVALID_INPUT', {
    input: `Which plugin should I ${verb}?`,
    problem: names.length ? `Installed: ${names.join(', ')}.` : 'No plugins are installed yet.',
  });
}

function namedIn(installed: PluginView[], text: string): PluginView[] {
  const lower = ` ${text.toLowerCase()} `;
  const tokens = new Set(packageLikeTokens(text).map((t) => t.toLowerCase()));
  return installed.filter((p) => {
    const names = [p.packageName.toLowerCase(), p.pluginName.toLowerCase()];
    if (names.some((n) => tokens.has(n))) return true;
    const base = baseName(p.packageName);
    return new RegExp(`[^a-z0-9-]${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^a-z0-9-]`).test(lower);
  });
}
