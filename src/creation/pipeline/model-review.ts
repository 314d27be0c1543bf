import { ModelType, type IAgentRuntime } from '@elizaos/core';
import { z } from 'zod';
import { jsonInText } from '../../shared/eliza/action-input.js';
import type { GeneratedFile } from '../generators/generator.js';
import type { PluginSpec } from '../spec/plugin-spec.js';

export const ModelReviewSchema = z.object({
  score: z.number().min(0).max(100),
  issues: z.array(z.string().max(2_000)).max(50),
  suggestions: z.array(z.string().max(2_000)).max(50),
});
export type ModelReview = z.infer<typeof ModelReviewSchema>;

const MAX_REVIEW_SOURCE_CHARS = 60_000;

function reviewPrompt(spec: PluginSpec, files: GeneratedFile[]): string {
  let budget = MAX_REVIEW_SOURCE_CHARS;
  const sources = files
    .filter((f) => !f.path.includes('__contract__'))
    .map((f) => {
      const body = f.content.slice(0, Math.max(0, budget));
      budget -= body.length;
      return `--- ${f.path}\n${body}`;
    })
    .join('\n');
  return [
    'You review an ElizaOS 1.x plugin written in TypeScript. It already builds, lints and passes its tests.',
    'Judge whether it does what the specification asks, handles bad input, and is safe and clear.',
    'Answer with JSON only: {"score": 0-100, "issues": ["..."], "suggestions": ["..."]}.',
    '',
    `Specification:\n${JSON.stringify(spec, null, 2)}`,
    '',
    `Source:\n${sources}`,
  ].join('\n');
}

/**
 * A code review through whatever model the agent has. The answer must be the JSON above; an
 * unreadable answer gets one more try, then counts as a failed review naming why.
 */
export async function reviewWithModel(
  runtime: IAgentRuntime,
  spec: PluginSpec,
  files: GeneratedFile[],
  signal: AbortSignal,
): Promise<ModelReview> {
  const prompt = reviewPrompt(spec, files);
  let problem = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    signal.throwIfAborted();
    const answer = await runtime.useModel(ModelType.TEXT_LARGE, {
      prompt: attempt === 0 ? prompt : `${prompt}\n\nYour last answer was not valid: ${problem}. Answer with the JSON object only.`,
    });
    const parsed = ModelReviewSchema.safeParse(jsonInText(String(answer)));
    if (parsed.success) return parsed.data;
    problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`).join('; ');
  }
  return { score: 0, issues: [`The review answer was not the expected JSON (${problem}).`], suggestions: [] };
}
