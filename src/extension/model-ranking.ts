import { z } from 'zod';
import type { ModelCall } from '../creation/generators/model/model-call.js';
import { jsonInText } from '../shared/eliza/action-input.js';
import type { RankedCandidate } from './ranked-source.js';

/** What the agent should do about a request, as the model (or the keyword ranking) judges it. */
export type RankVerdict =
  | { verdict: 'served'; action: string; reason: string }
  | { verdict: 'install'; picks: RankedCandidate[]; reason: string }
  | { verdict: 'create'; reason: string }
  | { verdict: 'harmful' | 'impossible'; reason: string };

/** A loaded action that might already serve the request, shown to the model. */
export interface LoadedAction {
  name: string;
  description: string;
}

export const RANK_BOUNDS = { candidates: 8, loaded: 8, descriptionChars: 160, requestChars: 600 } as const;

const Answer = z.object({
  verdict: z.enum(['served', 'install', 'create', 'harmful', 'impossible']),
  picks: z.array(z.number().int().min(1)).max(2).nullish(),
  action: z.string().max(100).nullish(),
  reason: z.string().trim().min(1).max(300),
});

export function rankingPrompt(request: string, candidates: RankedCandidate[], loaded: LoadedAction[]): string {
  const cut = (s: string) => (s.length > RANK_BOUNDS.descriptionChars ? `${s.slice(0, RANK_BOUNDS.descriptionChars)}...` : s);
  const plugins = candidates.length
    ? candidates.map((c, i) => `${i + 1}. ${c.name}: ${cut(c.description || '(no description)')}`).join('\n')
    : '(none found)';
  const actions = loaded.length ? loaded.map((a) => `- ${a.name}: ${cut(a.description)}`).join('\n') : '(none)';
  return [
    'A user asked an AI agent for something. Decide whether the agent can already do it, should install a plugin, or should write a new one.',
    '',
    `Request: ${JSON.stringify(request.slice(0, RANK_BOUNDS.requestChars))}`,
    '',
    'Loaded actions that might already do it:',
    actions,
    '',
    'Plugins that could be installed (ElizaOS registry, checked to work with this agent):',
    plugins,
    '',
    'Answer with one JSON object only: {"verdict": "...", "picks": [...], "action": "...", "reason": "one short sentence"}',
    '- "served": a loaded action above already does it; put its name in "action".',
    '- "install": one or two plugins above do it; put their numbers, best first, in "picks".',
    '- "create": none of them does it, but a new plugin could (keep or fetch data, convert, compute, call a web API).',
    '- "harmful": doing it would hurt people, systems or privacy.',
    '- "impossible": no software plugin could do it (a physical act, or something outside any agent\'s reach).',
  ].join('\n');
}

/** The model's verdict, checked against the lists it was shown; undefined when the answer is unusable. */
export function readRanking(answer: string, candidates: RankedCandidate[], loaded: LoadedAction[]): RankVerdict | undefined {
  const parsed = Answer.safeParse(jsonInText(answer));
  if (!parsed.success) return undefined;
  const { verdict, reason } = parsed.data;
  switch (verdict) {
    case 'served': {
      const action = loaded.find((a) => a.name.toUpperCase() === parsed.data.action?.toUpperCase());
      return action ? { verdict, action: action.name, reason } : undefined;
    }
    case 'install': {
      const picks = [...new Set(parsed.data.picks ?? [])].map((n) => candidates[n - 1]).filter((c): c is RankedCandidate => c !== undefined);
      return picks.length ? { verdict, picks, reason } : undefined;
    }
    default:
      return { verdict, reason };
  }
}

/** Without a model: the candidates whose name or topics the request's words matched, best two. */
export function keywordRanking(candidates: RankedCandidate[], loaded: LoadedAction[]): RankVerdict {
  const served = loaded[0];
  if (served) return { verdict: 'served', action: served.name, reason: 'a loaded action matches the request' };
  const strong = candidates.filter((c) => c.strong).slice(0, 2);
  if (strong.length) return { verdict: 'install', picks: strong, reason: 'the registry plugins whose names match the request best' };
  return { verdict: 'create', reason: 'no registry plugin matches the request' };
}

/**
 * The verdict on a request: asked of the model once (bounded by the caller's ModelCall), its answer
 * checked with Zod against what it was shown; an unusable answer or a failed call falls back to the
 * keyword ranking.
 */
export async function rankRequest(input: {
  request: string;
  candidates: RankedCandidate[];
  loaded: LoadedAction[];
  callModel: ModelCall | undefined;
  signal?: AbortSignal;
  onFallback?: (why: string) => void;
}): Promise<RankVerdict> {
  const candidates = input.candidates.slice(0, RANK_BOUNDS.candidates);
  const loaded = input.loaded.slice(0, RANK_BOUNDS.loaded);
  if (input.callModel) {
    try {
      const answer = await input.callModel(rankingPrompt(input.request, candidates, loaded), input.signal);
      const verdict = readRanking(answer, candidates, loaded);
      if (verdict) return verdict;
      input.onFallback?.('the model answered something unusable');
    } catch (error) {
      input.onFallback?.(`the model call failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return keywordRanking(candidates, loaded);
}
