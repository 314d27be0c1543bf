import type { IAgentRuntime } from '@elizaos/core';
import type { LoadedAction } from './model-ranking.js';

/** Actions that only shape the conversation: never "the action that serves" a request. */
const CONVERSATIONAL = new Set(['REPLY', 'IGNORE', 'NONE', 'CONTINUE', 'FOLLOW_ROOM', 'UNFOLLOW_ROOM', 'MUTE_ROOM', 'UNMUTE_ROOM', 'CHOICE']);

const stem = (w: string): string => w.replace(/(?:ies)$/, 'y').replace(/(?:es|s)$/, '');

/**
 * Loaded actions whose name or description shares words with the request, best first: the ones that
 * may already serve it. Actions of plugin-dynamic itself (`own`) and conversational ones are left out.
 * A match on the action's name counts twice; only actions with a name match or two words are kept.
 */
export function actionsForRequest(runtime: IAgentRuntime, words: string[], own: ReadonlySet<string>, limit = 8): LoadedAction[] {
  const wanted = new Set(words.filter((w) => w.length >= 3).map(stem));
  if (wanted.size === 0) return [];
  const scored = runtime.actions
    .filter((a) => !own.has(a.name) && !CONVERSATIONAL.has(a.name))
    .map((a) => {
      const nameWords = new Set(a.name.toLowerCase().split('_').map(stem));
      const descriptionWords = new Set(String(a.description ?? '').toLowerCase().split(/[^a-z0-9]+/).map(stem));
      let score = 0;
      for (const w of wanted) score += nameWords.has(w) ? 2 : descriptionWords.has(w) ? 1 : 0;
      return { action: { name: a.name, description: String(a.description ?? '').slice(0, 300) }, score };
    })
    .filter((s) => s.score >= 2)
    .sort((a, b) => b.score - a.score || a.action.name.localeCompare(b.action.name));
  return scored.slice(0, limit).map((s) => s.action);
}
