import type { Diagnostic } from '../../steps/index.js';
import type { IterationFeedback } from '../../pipeline/feedback.js';
import type { PluginSpec } from '../../spec/plugin-spec.js';
import type { ParsedFile } from './parse-model-files.js';

/** How ElizaOS 1.x components look, so the model writes code that fits core 1.7's types. */
const CONTRACTS = `ElizaOS 1.x component contracts (import types from '@elizaos/core'):
- Plugin: { name, description, actions?, providers?, services?, evaluators?, init? }. src/index.ts must export
  the plugin as a named export \`plugin\` and as the default export, and export every component.
- Action: { name: 'UPPER_SNAKE', similes: string[], description, validate: (runtime, message, state?) =>
  Promise<boolean>, handler: (runtime, message, state?, options?, callback?) => Promise<ActionResult>,
  examples?: ActionExample[][] }. ActionResult = { success: boolean, text?, values?, data?, error? }.
  Read parameters from options (options.parameters or options itself), else JSON in message.content.text,
  else the text. A missing required parameter returns { success: false, error } and calls the callback.
- Provider: { name, description, get: (runtime, message, state) => Promise<{ text, values, data }> }.
- Service: class X extends Service { static serviceType = 'snake_case'; capabilityDescription = '...';
  static async start(runtime) { ... return instance } async stop() { ... } } plus the declared methods.
- Evaluator: { name, description, similes, examples: [], validate(runtime, message) => Promise<boolean>,
  handler(runtime, message) => Promise<ActionResult | undefined> }.
- Settings come from runtime.getSetting('NAME'); never read process.env as a whole, never spawn processes,
  never use eval/new Function, never write files outside the plugin's own data.
- TypeScript is strict (noUncheckedIndexedAccess, verbatimModuleSyntax: use \`import type\` for types) and
  linted with typescript-eslint recommendedTypeChecked (no floating promises, no unsafe any).
- Tests use Vitest (import { describe, it, expect } from 'vitest'), one *.test.ts per component under
  src/__tests__/, exercising behaviour. Files under src/__contract__/ are fixed tests you must pass but
  cannot change.`;

const ANSWER_FORMAT = `Answer with every file you write or change, each as a fenced block whose info string
holds its path, for example:
\`\`\`ts path=src/actions/get-weather.ts
...
\`\`\`
Only TypeScript files under src/ are accepted. To add npm dependencies, include one block:
\`\`\`json path=dependencies
{ "name": "^1.2.3" }
\`\`\``;

export function firstPrompt(spec: PluginSpec): string {
  return [
    'Write a complete ElizaOS 1.x plugin in TypeScript for this specification.',
    '',
    CONTRACTS,
    '',
    `Specification:\n${JSON.stringify(spec, null, 2)}`,
    '',
    ANSWER_FORMAT,
  ].join('\n');
}

/** The code around a diagnostic's line, numbered, so the model sees what it is fixing. */
function codeAround(d: Diagnostic, files: ParsedFile[], radius = 3): string {
  if (!d.file || !d.line) return '';
  const file = files.find((f) => f.path === d.file || d.file?.endsWith(f.path));
  if (!file) return '';
  const lines = file.content.split('\n');
  const from = Math.max(1, d.line - radius);
  const to = Math.min(lines.length, d.line + radius);
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${n === d.line ? '>' : ' '} ${String(n).padStart(4)} | ${lines[n - 1] ?? ''}`);
  return out.join('\n');
}

export function describeDiagnostic(d: Diagnostic, files: ParsedFile[]): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}` : '(no file)';
  const head = `${where} ${d.code ? `[${d.code}] ` : ''}${d.message}`;
  const test = d.expected !== undefined || d.received !== undefined ? `\n  expected: ${d.expected ?? '?'}\n  received: ${d.received ?? '?'}` : '';
  const code = codeAround(d, files);
  return `${head}${test}${code ? `\n${code}` : ''}`;
}

export function repairPrompt(spec: PluginSpec, files: ParsedFile[], feedback: IterationFeedback, iteration: number): string {
  const gateName = { generate: 'Your last answer', build: 'The TypeScript build (tsc)', lint: 'ESLint', test: 'The tests (vitest)', validate: 'Validation' }[feedback.gate];
  const more = feedback.total > feedback.diagnostics.length ? `\n(${feedback.total - feedback.diagnostics.length} more not shown; fix these first.)` : '';
  return [
    `Iteration ${iteration}. ${gateName} failed on the plugin below. Fix these problems and change nothing else.`,
    '',
    'Problems:',
    ...feedback.diagnostics.map((d, i) => `${i + 1}. ${describeDiagnostic(d, files)}`),
    more,
    '',
    CONTRACTS,
    '',
    `Specification:\n${JSON.stringify(spec, null, 2)}`,
    '',
    'Current files:',
    ...files.map((f) => `\`\`\`ts path=${f.path}\n${f.content}\`\`\``),
    '',
    ANSWER_FORMAT,
  ].join('\n');
}
