/*
 * Sizes of the model prompts for the recorded notes plugin: the first prompt, a repair prompt for
 * the extensionless-imports lint failure, and the answer that fixes it (whole files or an edit).
 *
 *   npx tsx bench/prompt-sizes.ts              this checkout
 *   npx tsx bench/prompt-sizes.ts /tmp/old     another checkout's src/ (e.g. `git archive main src | tar -x -C /tmp/old`)
 *
 * Only the prompt functions are taken from the other checkout; the plugin, the failure and the
 * contract files are this checkout's, so both sides are given the same input.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contractTestFiles } from '../src/creation/contract-tests/index.js';
import { feedbackFor, type IterationFeedback } from '../src/creation/pipeline/feedback.js';
import { parsePluginSpec } from '../src/creation/spec/index.js';
import type { PluginSpec } from '../src/creation/spec/plugin-spec.js';
import { GOOD_FILES, wholeFilesAnswer } from '../test/e2e/creation/fixtures/recorded/notes-plugin.js';
import { RECORDED_SCENARIOS } from '../test/e2e/creation/fixtures/recorded/scenarios.js';
import { RECORDED_SPEC } from '../test/e2e/creation/fixtures/recorded/notes-plugin.js';

type File = { path: string; content: string };
interface PromptModule {
  firstPrompt(spec: PluginSpec): string;
  repairPrompt(spec: PluginSpec, files: File[], feedback: IterationFeedback, iteration: number): string;
}

const root = resolve(process.argv[2] ?? '.');
const prompts = (await import(pathToFileURL(join(root, 'src/creation/generators/model/prompts.ts')).href)) as PromptModule;
const spec = parsePluginSpec(RECORDED_SPEC);
const extensionless = RECORDED_SCENARIOS.find((s) => s.firstProblemCode === 'no-restricted-syntax');
if (!extensionless) throw new Error('the extensionless-imports recording is missing');

// The workspace as the repair sees it: the plugin's files with extensionless imports, and the contract tests.
const workspace: File[] = [
  ...Object.entries(GOOD_FILES).map(([path, content]) => ({
    path,
    content: path === 'src/index.ts' ? content.replace(/(from '\.\/[^']+)\.js'/g, "$1'") : content,
  })),
  ...contractTestFiles(spec),
];
const feedback = feedbackFor(
  'lint',
  [2, 3, 4, 5].map((line) => ({
    tool: 'eslint' as const,
    file: 'src/index.ts',
    line,
    code: 'no-restricted-syntax',
    message: 'A relative import needs the .js extension (Node ESM)',
  })),
);

const kb = (n: number): string => `${(n / 1000).toFixed(1)} KB`;
const rows = [
  ['first prompt', prompts.firstPrompt(spec).length],
  ['repair prompt (lint: 4 extensionless imports in src/index.ts)', prompts.repairPrompt(spec, workspace, feedback, 2).length],
  ['the fix as whole files', wholeFilesAnswer(GOOD_FILES).length],
  ['the fix as edits (recorded answer)', extensionless.answers[1]?.length ?? 0],
] as const;
console.log(`prompts from ${root}`);
for (const [what, chars] of rows) console.log(`${what.padEnd(64)} ${String(chars).padStart(7)} chars  ${kb(chars)}`);
