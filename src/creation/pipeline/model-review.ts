import { z } from 'zod';
import { jsonInText } from '../../shared/eliza/action-input.js';
import type { GeneratedFile } from '../generators/generator.js';
import { REVIEW_FACTS } from '../generators/model/eliza-facts.js';
import type { ModelCall } from '../generators/model/model-call.js';
import type { PluginSpec } from '../spec/plugin-spec.js';

/**
 * `spec`: the plugin does not do what the specification asks; `bug`: it misbehaves (wrong result,
 * data shared across users, a provider with side effects...); `style`: anything else.
 */
export const REVIEW_FINDING_KINDS = ['spec', 'bug', 'style'] as const;
/** `major`: the plugin cannot be shipped like this; `minor`: worth knowing, not worth an iteration. */
export const REVIEW_SEVERITIES = ['major', 'minor'] as const;

/** The largest test a finding may carry, in characters. */
export const MAX_FINDING_TEST_CHARS = 20_000;

const FindingSchema = z.object({
  kind: z.enum(REVIEW_FINDING_KINDS),
  severity: z.enum(REVIEW_SEVERITIES).default('minor'),
  message: z.string().min(1).max(2_000),
  file: z.string().max(300).optional(),
  /** A complete Vitest file that fails against the current code because of this finding. */
  test: z.string().min(1).max(MAX_FINDING_TEST_CHARS).optional(),
});

/**
 * The answer the prompt asks for; the older shape { score, issues, suggestions } is still read, its
 * issues as minor bugs and its suggestions as style remarks (without a test neither can block).
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
        ...issues.map((message) => ({ kind: 'bug' as const, severity: 'minor' as const, message })),
        ...suggestions.filter(Boolean).map((message) => ({ kind: 'style' as const, severity: 'minor' as const, message })),
      ],
    })),
]);

export type ReviewFindingOf = z.infer<typeof FindingSchema>;

/** A model's review as it answered: nothing in it blocks until a test shows it (see review-cases.ts). */
export interface ModelReview {
  score: number;
  findings: ReviewFindingOf[];
  /** Files the reviewer did not see (its budget ran out), by path. */
  leftOut: string[];
  /** Set when the answer could not be read: the review is then advice that says so. */
  unreadable?: string;
}

/**
 * The most a review prompt holds, in characters: the instructions, the facts, the specification,
 * then as many whole source files as fit.
 */
export const MAX_REVIEW_PROMPT_CHARS = 72_000;

/** Where a finding's test is saved, so the reviewer writes its imports from there. */
export const REVIEW_TEST_DIR = 'src/__tests__';

/** The plugin's own sources first (entry, then components), its tests after; contract files never. */
function reviewOrder(files: GeneratedFile[]): GeneratedFile[] {
  const rank = (f: GeneratedFile): number => (f.path === 'src/index.ts' ? 0 : f.path.endsWith('.test.ts') ? 2 : 1);
  return files
    .filter((f) => !f.path.includes('__contract__'))
    .sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

/** What blocks shipping and what does not, in the reviewer's own words. */
export const REVIEW_RULES = `What blocks shipping, exactly: a finding blocks only when all of these hold:
1. its kind is "spec" (a requirement of the specification is not met; say which) or "bug" (behaviour that is
   wrong; say when it happens), and its severity is "major" (a user of the plugin would meet it);
2. it carries "test": one complete Vitest file (TypeScript) that fails against the current code because of this
   finding, on an expect assertion. It is saved as ${REVIEW_TEST_DIR}/review-<iteration>-<n>.test.ts, so it imports the plugin
   from '../index.js' (or '../actions/x.js'...), builds its own stub runtime (an in-memory getCache/setCache),
   and must build, lint and run like the plugin's own tests (strict TypeScript, no any).
plugin-dynamic runs each such test against the current code in the sandbox. If it fails on an assertion, the
finding is confirmed: it is sent back to be fixed with the test's output, and the test stays in the plugin as a
regression test. If it passes, does not compile, throws before an assertion or tests something else, the
finding is not confirmed and never blocks. Everything else does not block and is shown to the user as advice:
"minor" findings, "style" remarks, findings without a test, and the score. Block only on what the specification
asks for or on plain misbehaviour, not on an edge case nobody asked about. Input the specification does not
describe is minor, never major: other phrasings or text formats (dashes, bullets, markdown, capitals), other
languages, locales or time zones, extreme sizes.`;

/** What earlier reviews of this job confirmed, and what that means for this one. */
function earlierSection(earlier: readonly string[]): string[] {
  if (earlier.length === 0) return [];
  return [
    'Earlier reviews of this plugin confirmed these problems; the code now passes the regression tests that show them',
    `(${REVIEW_TEST_DIR}/review-*.test.ts, kept in the plugin):`,
    ...earlier.map((m) => `- ${m}`),
    'One more variant of the same problem (another phrasing, format or input of the same kind) is minor, not major.',
    'Block only on a different requirement that is not met, or a different plain misbehaviour.',
    '',
  ];
}

export function reviewPrompt(spec: PluginSpec, files: GeneratedFile[], earlier: readonly string[] = []): { prompt: string; leftOut: string[] } {
  const head = [
    'You review an ElizaOS 1.x plugin written in TypeScript. It already builds, lints and passes its tests.',
    'Check, requirement by requirement, that it does what the specification asks; look for bugs: wrong results,',
    'data kept in module variables or shared across users and rooms instead of keyed per user or room, providers',
    'that change state (they run on every reply), unhandled bad input, parameters read from the wrong place.',
    '',
    REVIEW_RULES,
    '',
    REVIEW_FACTS,
    '',
    ...earlierSection(earlier),
    'Answer with one JSON object only, no comments: {"score": <0-100>, "findings": [{"kind": "spec", "severity":',
    '"major", "message": "...", "file": "src/...", "test": "import { describe, expect, it } from \'vitest\';\\n..."}]}.',
    'kind is one of "spec", "bug", "style"; severity is "major" or "minor"; "file" and "test" may be left out.',
    'No findings: an empty list.',
    '',
    `Specification:\n${JSON.stringify(spec, null, 2)}`,
    '',
    'Source:',
  ].join('\n');
  const ordered = reviewOrder(files);
  // What the list of left-out files could take at most, so the whole prompt stays within its budget.
  const listRoom = 60 + ordered.reduce((n, f) => n + f.path.length + 2, 0);
  let budget = MAX_REVIEW_PROMPT_CHARS - head.length - listRoom;
  const shown: string[] = [];
  const leftOut: string[] = [];
  for (const f of ordered) {
    // Whole files only: a file cut mid-way reads as a bug that is not there.
    const block = `--- ${f.path}\n${f.content}`;
    if (block.length + 1 <= budget) {
      shown.push(block);
      budget -= block.length + 1;
    } else leftOut.push(f.path);
  }
  const prompt = [head, ...shown, leftOut.length ? `\nNot shown (over the review budget): ${leftOut.join(', ')}.` : ''].join('\n');
  return { prompt, leftOut };
}

/**
 * A code review through whatever model the agent has. The answer must be the JSON above; an
 * unreadable answer gets one more try, then is recorded as an unreadable review (it never blocks).
 */
export async function reviewWithModel(
  callModel: ModelCall,
  spec: PluginSpec,
  files: GeneratedFile[],
  signal: AbortSignal,
  earlier: readonly string[] = [],
): Promise<ModelReview> {
  const { prompt, leftOut } = reviewPrompt(spec, files, earlier);
  let problem = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    signal.throwIfAborted();
    const answer = await callModel(
      attempt === 0 ? prompt : `${prompt}\n\nYour last answer was not valid: ${problem}. Answer with the JSON object only.`,
      signal,
    );
    const parsed = ReviewAnswerSchema.safeParse(jsonInText(answer));
    if (parsed.success) return { score: parsed.data.score, findings: parsed.data.findings, leftOut };
    problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ');
  }
  return { score: 0, findings: [], leftOut, unreadable: `The review answer was not the expected JSON (${problem}).` };
}
