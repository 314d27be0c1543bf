import { PluginDynamicError } from '../../errors.js';
import { packageLikeTokens, stringParam } from '../../shared/eliza/action-input.js';
import type { PluginView } from '../plugin-view.js';

const baseName = (name: string): string => name.toLowerCase().replace(/^@[^/]+\//, '').replace(/^plugin-/, '');

/**
 * Which installed plugin a request is about: a `plugin` parameter, else an installed plugin named
 * in the text (package name, plugin name or base name). Asks when there is none or several.
 */
export function targetPlugin(
  installed: PluginView[],
  params: Record<string, unknown>,
  text: string,
  verb: string,
): string {
  const explicit = stringParam(params, 'plugin', 'name', 'packageName');
  if (explicit) return explicit;
  const lower = ` ${text.toLowerCase()} `;
  const tokens = new Set(packageLikeTokens(text).map((t) => t.toLowerCase()));
  const hits = installed.filter((p) => {
    const names = [p.packageName.toLowerCase(), p.pluginName.toLowerCase()];
    if (names.some((n) => tokens.has(n))) return true;
    const base = baseName(p.packageName);
    return new RegExp(`[^a-z0-9-]${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^a-z0-9-]`).test(lower);
  });
  if (hits.length === 1 && hits[0]) return hits[0].packageName;
  if (hits.length > 1) {
    throw new PluginDynamicError(
      'PLUGIN_AMBIGUOUS',
      `Which one should I ${verb}: ${hits.map((h) => h.packageName).join(' or ')}?`,
      { details: { candidates: hits.map((h) => h.packageName) } },
    );
  }
  const names = installed.map((p) => p.packageName);
  throw new PluginDynamicError(
    'INVALID_INPUT',
    `Which plugin should I ${verb}? ${names.length ? `Installed: ${names.join(', ')}.` : 'No plugins are installed yet.'}`,
  );
}
