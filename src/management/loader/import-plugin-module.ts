import { pathToFileURL } from 'node:url';
import type { Plugin } from '@elizaos/core';
import { codedError } from '../../errors.js';

/** True for an object shaped like an ElizaOS Plugin: a name and a description at least. */
export function looksLikePlugin(value: unknown): value is Plugin {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v['name'] === 'string' && v['name'] !== '' && typeof v['description'] === 'string';
}

/** The Plugin a module exports: default, then `plugin`, then any export that looks like one. */
export function findPluginExport(namespace: Record<string, unknown>): Plugin | undefined {
  const candidates = [namespace['default'], namespace['plugin'], ...Object.values(namespace)];
  const nestedDefault = (namespace['default'] as Record<string, unknown> | undefined)?.['default'];
  return [...candidates, nestedDefault].find(looksLikePlugin);
}

/**
 * Imports a plugin's entry. `generation` makes a fresh module URL, so a plugin unloaded and loaded
 * again gets a new module instance (ESM caches by URL; files it imports relatively are not
 * re-read, which is why rebuilt plugins are installed into a new folder). The query is not named
 * `v`: Vite's module runner (Vitest) drops a `v` query as its own cache tag and returns the old module.
 */
export async function importPluginModule(entry: string, generation: number): Promise<Plugin> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(`${pathToFileURL(entry).href}?generation=${generation}`)) as Record<string, unknown>;
  } catch (error) {
    throw codedError('LOAD_FAILED', { subject: `Importing ${entry}`, problem: `failed: ${error instanceof Error ? error.message : String(error)}` }, { cause: error });
  }
  const plugin = findPluginExport(namespace);
  if (!plugin) throw codedError('NOT_A_PLUGIN', { subject: entry, problem: 'exports no ElizaOS Plugin (an object with a name and a description).' });
  return plugin;
}
