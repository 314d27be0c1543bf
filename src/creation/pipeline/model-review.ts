import { z } from 'zod';
import { jsonInText } from '../../shared/eliza/action-input.js';
import type { GeneratedFile } from '../generators/generator.js';
import type { ModelCall } from '../generators/model/model-call.js';
import type { PluginSpec } from '../spec/plugin-spec.js';

/**
 * `spec`: the plugin does not do what the specification asks; `bug`: it misbehaves (wrong result,
 * data shared across users, a provider with side effects...). Both are fed back like a failing test.
 * `style`: anything else; kept in the job record, never fed back.
 */
export const REVIEW_FINDING_KINDS = ['spec', 'bug', 'style'] as const;

const FindingSchema = z.object({
  kind: z.enum(REVIEW_FINDING_KINDS),
  message: z.string().min(1).max(2_000),
  file: z.string().max(300).optional(),
});

/**
 * The answer the prompt asks for; the older shape { score, issues, suggestions } is still read, its
 * issues as bugs and its suggestions as style remarks.
 */
export const ReviewAnswerSchema = z.union([
  z.object({ score: z.number().min(0).max(100), findings: z.array(FindingSchema).max(50) }),
  z
    .object({
      score: z.number().min(0).max(100),
      issues: z.array(z.string().min(1).max(2_000)).max(50),
      suggestions: z.array(z.string().max(2_000)).max(50).default([]),
    })
    .transform(({ score, issues, suggestions }) => ({
      score,
      findings: [
        ...issues.map((message) => ({ kind: 'bug' as const, message })),
        ...suggestions.filter(Boolean).map((message) => ({ kind: 'style' as const, message })),
      ],
    })),
]);

export type ReviewFindingOf = z.infer<typeof FindingSchema>;

export interface ModelReview {
  score: number;
  /** The findings that block: `spec` and `bug`. */
  issues: string[];
  /** The style remarks, kept but not fed back. */
  suggestions: string[];
  findings: ReviewFindingOf[];
  /** Files the reviewer did not see (its budget ran out), by path. */
  leftOut: string[];
}

/** The most source a review prompt carries, in characters. */
export const MAX_REVIEW_SOURCE_CHARS = 60_000;

/** The plugin's own sources first (entry, then components), its tests after; contract files never. */
function reviewOrder(files: GeneratedFile[]): GeneratedFile[] {
  const rank = (f: GeneratedFile): number => (f.path === 'src/index.ts' ? 0 : f.path.endsWith('.test.ts') ? 2 : 1);
  return files
    .filter((f) => !f.path.includes('__contract__'))
    .sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

export function reviewPrompt(spec: PluginSpec, files: GeneratedFile[]): { prompt: string; leftOut: string[] } {
  let budget = MAX_REVIEW_SOURCE_CHARS;
  const shown: string[] = [];
  const leftOut: string[] = [];
  for (const f of reviewOrder(files)) {
    // Whole files only: a file cut mid-way reads as a bug that is not there.
    if (f.content.length <= budget) {
      shown.push(`--- ${f.path}\n${f.content}`);
      budget -= f.content.length;
    } else leftOut.push(f.path);
  }
  const prompt = [
    'You review an ElizaOS 1.x plugin written in TypeScript. It already builds, lints and passes its tests.',
    'Check, requirement by requirement, that it does what the specification asks; look for bugs: wrong results,',
    'data kept in module variables or shared across users and rooms instead of keyed per user or room, providers',
    'that change state (they run on every reply), unhandled bad input, parameters read from the wrong place.',
    'Answer with JSON only: {"score": 0-100, "findings": [{"kind": "spec" | "bug" | "style", "message": "...", "file": "src/..."}]}.',
    'Use "spec" only when a requirement of the specification is not met (say which), "bug" only for behaviour that',
    'is wrong (say when it happens), "style" for everything else. No findings: an empty list.',
    '',
    `Specification:\n${JSON.stringify(spec, null, 2)}`,
    '',
    `Source:\n${shown.join('\n')}`,
    leftOut.length ? `\nNot shown (over the review budget): ${leftOut.join(', ')}.` : '',
  ].join('\n');
  return { prompt, leftOut };
}

/**
 * A code review through whatever model the agent has. The answer must be the JSON above; an
 * unreadable answer gets one more try, then counts as a failed review naming why.
 */
export async function reviewWithModel(
  callModel: ModelCall,
  spec: PluginSpec,
  files: GeneratedFile[],
  signal: AbortSignal,
): Promise<ModelReview> {
  const { prompt, leftOut } = reviewPrompt(spec, files);
  let problem = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    signal.throwIfAborted();
    const answer = await callModel(
      attempt === 0 ? prompt : `${prompt}\n\nYour last answer was not valid: ${problem}. Answer with the JSON object only.`,
      signal,
    );
    const parsed = ReviewAnswerSchema.safeParse(jsonInText(answer));
    if (parsed.success) {
      const { score, findings } = parsed.data;
      return {
        score,
        findings,
        issues: findings.filter((f) => f.kind !== 'style').map((f) => `${f.kind}: ${f.message}`),
        suggestions: findings.filter((f) => f.kind === 'style').map((f) => f.message),
        leftOut,
      };
    }
    problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ');
  }
  return { score: 0, issues: [`The review answer was not the expected JSON (${problem}).`], suggestions: [], findings: [], leftOut };
}
