import { contractTestFiles } from '../../contract-tests/index.js';
import type { IterationFeedback } from '../../pipeline/feedback.js';
import type { PluginSpec } from '../../spec/plugin-spec.js';
import type { Diagnostic } from '../../steps/index.js';
import { EDIT_FORMAT } from './apply-answer.js';
import { ELIZA_FACTS, TEST_FACTS, TOOLCHAIN_FACTS } from './eliza-facts.js';
import type { ParsedFile } from './parse-model-files.js';
import { relatedFiles } from './related-files.js';

/**
 * The most a repair prompt holds, in characters (about 8,000 tokens): the problems, the rules, the
 * specification and as many of the files as fit, the files the problems name first. What is left
 * out is listed by path, so the model knows it exists and may still send it whole.
 */
export const REPAIR_PROMPT_BUDGET = 32_000;
/**
 * A file the problems name, or a test of one, of at most this many characters is always sent, even
 * when the problems and facts alone fill the budget: a fix cannot be written without it.
 */
export const ALWAYS_SENT_FILE_CHARS = 6_000;
/** The most a repair prompt holds even then, in characters. */
export const REPAIR_PROMPT_LIMIT = 48_000;

const WHOLE_FILE_FORMAT = `Answer with every file you write, each as a fenced block whose info string holds its path:
\`\`\`ts path=src/actions/get-weather.ts
...
\`\`\`
Only TypeScript files under src/ are accepted. To add npm dependencies, include one block:
\`\`\`json path=dependencies
{ "name": "^1.2.3" }
\`\`\``;

/** The contract tests exactly as they run, so the first answer is written against them. */
function contractSection(spec: PluginSpec): string {
  const files = contractTestFiles(spec);
  return [
    'Contract tests: plugin-dynamic writes these two files from the specification and restores them before every',
    'run; your plugin must pass them and cannot change them. Their stub runtime has only agentId, getSetting and',
    'logger, and its agentId differs from the messages\' entityId (a user talks to the agent); handlers are called',
    "with { parameters } or with {} (that call must answer { success: false } when a",
    'required parameter is missing). A valid call only has to answer an ActionResult: code that reaches the cache,',
    'memories or a service fails on this stub, so handlers and provider get catch their errors and answer',
    '{ success: false, error } (a provider: a text). Your own tests use a richer stub (an in-memory getCache/setCache).',
    ...files.map((f) => `\`\`\`ts path=${f.path}\n${f.content}\`\`\``),
  ].join('\n');
}

export function firstPrompt(spec: PluginSpec): string {
  return [
    'Write a complete ElizaOS 1.x plugin in TypeScript for this specification.',
    '',
    `Specification:\n${JSON.stringify(spec, null, 2)}`,
    '',
    ELIZA_FACTS,
    '',
    TOOLCHAIN_FACTS,
    TEST_FACTS,
    '',
    contractSection(spec),
    '',
    WHOLE_FILE_FORMAT,
  ].join('\n');
}

/** The code around a diagnostic's line, numbered, so the model sees what it is fixing. */
function codeAround(d: Diagnostic, files: ParsedFile[], radius = 3): string {
  if (!d.file || !d.line) return '';
  const file = fileOf(d, files);
  if (!file) return '';
  const lines = file.content.split('\n');
  const from = Math.max(1, d.line - radius);
  const to = Math.min(lines.length, d.line + radius);
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${n === d.line ? '>' : ' '} ${String(n).padStart(4)} | ${lines[n - 1] ?? ''}`);
  return out.join('\n');
}

function fileOf(d: Diagnostic, files: ParsedFile[]): ParsedFile | undefined {
  return files.find((f) => f.path === d.file || d.file?.endsWith(`/${f.path}`));
}

export function describeDiagnostic(d: Diagnostic, files: ParsedFile[]): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}` : '(no file)';
  const head = `${where} ${d.code ? `[${d.code}] ` : ''}${d.message}`;
  const test = d.expected !== undefined || d.received !== undefined ? `\n  expected: ${d.expected ?? '?'}\n  received: ${d.received ?? '?'}` : '';
  const code = codeAround(d, files);
  return `${head}${test}${code ? `\n${code}` : ''}`;
}

/** The failing step, named exactly: what the model is told happened. */
const GATE_HEADS: Record<IterationFeedback['gate'], string> = {
  generate: 'Your last answer could not be applied',
  build: 'The build failed (tsc)',
  lint: 'Lint failed (ESLint; its automatic fixes were already applied)',
  test: 'Tests failed (vitest)',
  validate: 'Validation failed (the static checks)',
  review:
    'The review confirmed these problems with failing tests (build, lint and your tests passed). Each test named below stays in the plugin as a regression test: make it pass, do not change it',
};

interface Candidate {
  file: ParsedFile;
  related: boolean;
  /** Whether a file of its kind is sent at all for this failing step. */
  send: boolean;
  /** Sent past the budget (up to REPAIR_PROMPT_LIMIT): a small file the problems name, or a test of one. */
  always: boolean;
}

/**
 * The files a repair needs, closest first (see relatedFiles): those the problems name, their own
 * tests, their other neighbours and tests; then, for a failing test or review where behaviour is at
 * stake, the unrelated files while there is room. A compiler or lint problem is local: unrelated
 * files are listed by path, not sent. Contract files are sent only when a problem names them.
 */
function filesByNeed(files: ParsedFile[], feedback: IterationFeedback): Candidate[] {
  const sendUnrelated = feedback.gate !== 'build' && feedback.gate !== 'lint';
  return relatedFiles(files, feedback.diagnostics)
    .filter((r) => r.relation !== 'unrelated' || !r.file.path.startsWith('src/__contract__/'))
    .map((r) => ({
      file: r.file,
      related: r.relation !== 'unrelated',
      send: r.relation !== 'unrelated' || sendUnrelated,
      always: r.need <= 1 && r.file.content.length <= ALWAYS_SENT_FILE_CHARS,
    }));
}

const fileBlock = (file: ParsedFile): string => `\`\`\`ts path=${file.path}\n${file.content}\`\`\``;
const leftOutEntry = (c: Candidate): string =>
  `${c.file.path} (${c.file.content.length} characters, ${c.related ? 'over the budget' : 'unrelated to these problems'})`;

/** The prompt with the given files shown and the others listed as left out, each with why. */
function compose(head: string, tail: string, candidates: Candidate[], shown: ReadonlySet<Candidate>): string {
  const leftOut = candidates.filter((c) => !shown.has(c)).map(leftOutEntry);
  const omitted = leftOut.length ? `Not shown (unchanged; send a file whole to change it): ${leftOut.join(', ')}.` : '';
  return [head, 'Current files:', ...candidates.filter((c) => shown.has(c)).map((c) => fileBlock(c.file)), omitted, tail]
    .filter((part) => part !== '')
    .join('\n');
}

/**
 * A repair prompt within REPAIR_PROMPT_BUDGET, counted on the whole prompt as sent (the list of
 * files left out included): the failing step's problems (with the code around each), the facts the
 * model needs, the specification, and the files by need until the budget is spent. Small files the
 * problems name and their tests are sent first and always (up to REPAIR_PROMPT_LIMIT). Files left out
 * are listed, each with why: unrelated to the problems, or over the budget. The model may answer with
 * edits or whole files.
 */
export function repairPrompt(spec: PluginSpec, files: ParsedFile[], feedback: IterationFeedback, iteration: number): string {
  const more = feedback.total > feedback.diagnostics.length ? `(${feedback.total - feedback.diagnostics.length} more not shown; fix these first.)` : '';
  const head = [
    `Iteration ${iteration}. ${GATE_HEADS[feedback.gate]}. Change what these problems require, keep the rest.`,
    '',
    'Problems:',
    ...feedback.diagnostics.map((d, i) => `${i + 1}. ${describeDiagnostic(d, files)}`),
    more,
    '',
    `Specification: ${JSON.stringify(spec)}`,
    '',
    ELIZA_FACTS,
    '',
    TOOLCHAIN_FACTS,
    TEST_FACTS,
    '',
  ].join('\n');
  const tail = ['', EDIT_FORMAT, '', WHOLE_FILE_FORMAT].join('\n');
  const candidates = filesByNeed(files, feedback);
  const shown = new Set<Candidate>();
  // The files that must be there first, then the rest by need while the whole prompt fits.
  for (const pass of [true, false]) {
    for (const c of candidates) {
      if (!c.send || c.always !== pass || shown.has(c)) continue;
      shown.add(c);
      if (compose(head, tail, candidates, shown).length > (c.always ? REPAIR_PROMPT_LIMIT : REPAIR_PROMPT_BUDGET)) shown.delete(c);
    }
  }
  return compose(head, tail, candidates, shown);
}
