import { describe, expect, it } from 'vitest';
import { applyModelAnswer } from '../../../src/creation/generators/model/apply-answer.js';
import { ALWAYS_SENT_FILE_CHARS, firstPrompt, repairPrompt, REPAIR_PROMPT_BUDGET, REPAIR_PROMPT_LIMIT } from '../../../src/creation/generators/model/prompts.js';
import { feedbackFor } from '../../../src/creation/pipeline/feedback.js';
import { LINT_FACTS, PERMISSION_FACTS, REVIEW_FACTS } from '../../../src/creation/generators/model/eliza-facts.js';
import { MAX_REVIEW_PROMPT_CHARS, ReviewAnswerSchema, reviewPrompt } from '../../../src/creation/pipeline/model-review.js';
import { parsePluginSpec } from '../../../src/creation/spec/index.js';
import { NARROW_RUNTIME_CONTRACT } from '../../../src/management/host/index.js';
import { WORKSPACE_ESLINT_CONFIG } from '../../../src/creation/workspace/scaffold-workspace.js';

const spec = parsePluginSpec({
  name: 'plugin-notes',
  description: 'Notes per user',
  actions: [{ name: 'addNote', description: 'Add a note', parameters: { text: 'string' } }],
  providers: [{ name: 'recentNotes', description: 'The latest notes' }],
  services: [{ name: 'NotesService', description: 'Stores notes', methods: ['add'] }],
});
const file = (path: string, content: string) => ({ path, content });

describe('the first prompt', () => {
  const prompt = firstPrompt(spec);

  it('states the ElizaOS facts a model used to guess', () => {
    expect(prompt).toContain('static override serviceType');
    expect(prompt).toContain('static override async start');
    expect(prompt).toContain("Relative imports end in .js");
    expect(prompt).toContain('options = { actionContext, actionPlan?, onStreamChunk? }');
    expect(prompt).toContain('runs on every state build');
    expect(prompt).toContain('keyed per user or per room');
    expect(prompt).toContain('runtime.getService<NotesService>(NotesService.serviceType)');
    expect(prompt).toContain('export default plugin');
    expect(prompt).toContain("actions: ['ADD_ITEM']");
    expect(prompt).toContain('registerTaskWorker');
  });

  it('states the facts a model guessed: models, events, posting, exports, handler types, tests and ids', () => {
    expect(prompt).toContain('runtime.useModel(ModelType.TEXT_SMALL or TEXT_LARGE, { prompt, maxTokens?, temperature? }) answers a');
    expect(prompt).toContain('extends EventPayload');
    expect(prompt).toContain("await runtime.emitEvent('plugin-reminders:reminder-fired', payload);");
    expect(prompt).toContain('runtime.sendMessageToTarget(target, { text })');
    expect(prompt).toContain('export { addItemAction, itemsProvider, ItemsService }');
    expect(prompt).toContain('options?: HandlerOptions, callback?: HandlerCallback): Promise<ActionResult>');
    expect(prompt).toContain('it returns the real instance');
    expect(prompt).toContain('Tests are type-checked by the build');
    expect(prompt).toContain("give a message's entityId (the user) and the runtime's agentId (the agent) different ids");
    expect(prompt).toContain('agentId: CONTRACT_AGENT_ID');
  });

  it("describes the runtime with the plugin host's own contract, word for word", () => {
    expect(prompt).toContain(NARROW_RUNTIME_CONTRACT);
  });

  it('shows the contract tests and their stub runtime, and states validation\'s test rule', () => {
    expect(prompt).toContain('src/__contract__/contract.test.ts');
    expect(prompt).toContain('export function contractRuntime');
    expect(prompt).toContain('"name": "ADD_NOTE"');
    expect(prompt).toContain('by its specification `identifier` (a service: its className)');
  });

  it('says which name "identifier" means: the specification field, apart from the exported TypeScript name and the ElizaOS name', () => {
    expect(prompt).toContain('Its specification `identifier` is the camelCase');
    expect(prompt).toContain('Its exported TypeScript');
    expect(prompt).toContain('Its ElizaOS name is the');
    // No bare "identifier" left: every use names which one.
    for (const line of prompt.split('\n').filter((l) => /\bidentifier\b/.test(l) && !l.trimStart().startsWith('"'))) {
      expect(line, line).toMatch(/specification `identifier`|TypeScript identifier|valid identifier/);
    }
  });

  it("states the workspace's lint rules as its configuration sets them, require-await off among them", () => {
    expect(prompt).toContain(LINT_FACTS);
    expect(prompt).toContain('require-await is off');
    expect(WORKSPACE_ESLINT_CONFIG).toContain("'@typescript-eslint/require-await': 'off'");
    expect(WORKSPACE_ESLINT_CONFIG).toContain("'@typescript-eslint/no-floating-promises': 'error'");
    expect(WORKSPACE_ESLINT_CONFIG).toContain("argsIgnorePattern: '^_'");
  });

  it('says posting needs permissions.postToRooms and task workers permissions.taskWorkers', () => {
    expect(prompt).toContain(PERMISSION_FACTS);
    expect(prompt).toContain('permissions.postToRooms (true or false; false when absent)');
    expect(prompt).toContain('permissions.taskWorkers lists the task worker names it may register');
  });
});

describe('a repair prompt', () => {
  const big = (n: number) => `export const filler${n} = ${JSON.stringify('x'.repeat(9_000))};\n`;
  const files = [
    file('src/index.ts', "export { addNote } from './actions/add-note';\n"),
    file('src/actions/add-note.ts', 'export const addNote = 1;\n'),
    ...[1, 2, 3, 4, 5].map((n) => file(`src/__tests__/t${n}.test.ts`, big(n))),
    file('src/__contract__/contract.test.ts', 'contract'),
  ];
  const feedback = feedbackFor('test', [
    { tool: 'vitest', file: 'src/index.ts', line: 1, code: 'assertion', message: 'expected 1 to be 2' },
  ]);
  const prompt = repairPrompt(spec, files, feedback, 2);

  it('stays within its budget, naming what it left out and why', () => {
    expect(prompt.length).toBeLessThanOrEqual(REPAIR_PROMPT_BUDGET);
    expect(prompt).toMatch(/Not shown \(unchanged; send a file whole to change it\): .*src\/__tests__\/t\d\.test\.ts \(\d+ characters, unrelated to these problems\)/);
  });

  it('names the failing step exactly and allows the edits the fix needs', () => {
    expect(prompt).toMatch(/^Iteration 2\. Tests failed \(vitest\)\. Change what these problems require, keep the rest\./);
    expect(prompt).not.toContain('change nothing else');
    const review = repairPrompt(spec, files, feedbackFor('review', [{ tool: 'validate', code: 'review-bug', message: 'x' }]), 3);
    expect(review).toContain('Iteration 3. The review confirmed these problems with failing tests (build, lint and your tests passed)');
    expect(repairPrompt(spec, files, feedbackFor('lint', [{ tool: 'eslint', message: 'x' }]), 2)).toContain('Lint failed (ESLint');
  });

  it('shows the file the problem names first, and no contract file it does not name', () => {
    expect(prompt.indexOf('```ts path=src/index.ts')).toBeLessThan(prompt.indexOf('```ts path=src/actions/add-note.ts'));
    expect(prompt).not.toContain('path=src/__contract__/contract.test.ts');
    expect(prompt).toContain('edit path=');
  });

  it('sends only the named file and the entry for a compiler or lint problem', () => {
    const lint = repairPrompt(spec, files, feedbackFor('lint', [{ tool: 'eslint', file: 'src/actions/add-note.ts', line: 1, message: 'x' }]), 2);
    expect(lint).toContain('```ts path=src/actions/add-note.ts');
    expect(lint).toContain('```ts path=src/index.ts');
    expect(lint).not.toContain('```ts path=src/__tests__/t1.test.ts');
    expect(lint).toContain('src/__tests__/t1.test.ts (9027 characters, unrelated to these problems)');
  });

  it('always sends the file a problem names, what it imports, what imports it and the tests that exercise it', () => {
    const plugin = [
      file('src/index.ts', "import { addNote } from './actions/add-note.js';\nexport { addNote };\n"),
      file('src/actions/add-note.ts', "import { keyOf } from '../store.js';\nexport const addNote = keyOf('a');\n"),
      file('src/store.ts', "export const keyOf = (id: string): string => `notes:${id}`;\n"),
      file('src/providers/other.ts', 'export const other = 1;\n'),
      file('src/__tests__/notes.test.ts', "import { addNote } from '../index.js';\nexport const seen = addNote;\n"),
      file('src/__tests__/other.test.ts', "import { other } from '../providers/other.js';\nexport const seen = other;\n"),
      file('src/__contract__/contract.test.ts', "import * as entry from '../index.js';\nexport const seen = entry;\n"),
    ];
    const build = repairPrompt(spec, plugin, feedbackFor('build', [{ tool: 'tsc', file: 'src/store.ts', line: 1, code: 'TS2322', message: 'x' }]), 2);
    for (const sent of ['src/store.ts', 'src/actions/add-note.ts', 'src/index.ts', 'src/__tests__/notes.test.ts']) expect(build).toContain(`\`\`\`ts path=${sent}\n`);
    expect(build).toContain('src/providers/other.ts (24 characters, unrelated to these problems)');
    expect(build).toContain('src/__tests__/other.test.ts (');
    expect(build).not.toContain('path=src/__contract__/contract.test.ts');
    // A review's test named in a message is sent with the source it points at.
    const review = repairPrompt(
      spec,
      [...plugin, file('src/__tests__/review-1-1.test.ts', "import { addNote } from '../actions/add-note.js';\nexport const seen = addNote;\n")],
      feedbackFor('review', [{ tool: 'validate', code: 'review-bug', file: 'src/actions/add-note.ts', message: 'Shown by the failing test src/__tests__/review-1-1.test.ts ("t"): AssertionError' }]),
      2,
    );
    expect(review).toContain('```ts path=src/__tests__/review-1-1.test.ts\n');
    expect(review).toContain('```ts path=src/store.ts\n');
  });

  it('at the budget drops unrelated files first, and says which related files were over it', () => {
    const huge = (n: number) => `export const huge${n} = ${JSON.stringify('y'.repeat(12_000))};\n`;
    const plugin = [
      file('src/index.ts', "import { a } from './a.js';\nimport { b } from './b.js';\nexport { a, b };\n"),
      file('src/a.ts', huge(1)),
      file('src/b.ts', huge(2)),
      file('src/z.ts', huge(3)),
    ];
    const problems = [
      { tool: 'vitest' as const, file: 'src/a.ts', message: 'x' },
      { tool: 'vitest' as const, file: 'src/b.ts', message: 'y' },
    ];
    const out = repairPrompt(spec, plugin, feedbackFor('test', problems), 2);
    expect(out.length).toBeLessThanOrEqual(REPAIR_PROMPT_BUDGET);
    expect(out).toContain('```ts path=src/a.ts\n');
    expect(out).toMatch(/src\/b\.ts \(\d+ characters, over the budget\)/);
    expect(out).toMatch(/src\/z\.ts \(\d+ characters, unrelated to these problems\)/);
  });
});

describe('the repair budget', () => {
  // The shape of a real repair that left out a 763-character file: a confirmed review test and the
  // helper it points at, two large actions that import the helper, a large service, small helpers.
  const pad = (name: string, size: number, imports = ''): string => {
    const head = `${imports}export const ${name} = `;
    return `${head}${JSON.stringify('p'.repeat(Math.max(0, size - head.length - 4)))};\n`;
  };
  const plugin = [
    file('src/index.ts', pad('entry', 700, "import { a } from './actions/getCity.js';\nimport { b } from './actions/getNearest.js';\nimport { s } from './services/air.js';\n")),
    file('src/actions/getCity.ts', pad('a', 7_000, "import { place } from '../utils/params.js';\nimport { s } from '../services/air.js';\n")),
    file('src/actions/getNearest.ts', pad('b', 6_500, "import { place } from '../utils/params.js';\n")),
    file('src/services/air.ts', pad('s', 7_900, "import type { T } from '../types.js';\n")),
    file('src/types.ts', pad('T', 763)),
    file('src/utils/params.ts', pad('place', 3_000, "import type { T } from '../types.js';\nimport { json } from './json.js';\n")),
    file('src/utils/json.ts', pad('json', 900)),
    file('src/__tests__/params.test.ts', pad('pt', 2_500, "import { place } from '../utils/params.js';\n")),
    file('src/__tests__/getCity.test.ts', pad('gt', 5_500, "import { a } from '../actions/getCity.js';\n")),
    file('src/__tests__/review-1-1.test.ts', pad('rt', 2_800, "import { a } from '../actions/getCity.js';\n")),
  ];
  const review = feedbackFor('review', [
    { tool: 'validate', code: 'review-bug', file: 'src/utils/params.ts', message: `${'The place is misread. '.repeat(40)}Shown by the failing test src/__tests__/review-1-1.test.ts ("t"): AssertionError` },
  ]);
  const sent = (prompt: string, path: string): boolean => prompt.includes(`\`\`\`ts path=${path}\n`);

  it('never leaves out a small file the problems name, its test or a small neighbour for larger ones, and counts the whole prompt', () => {
    const prompt = repairPrompt(spec, plugin, review, 2);
    expect(prompt.length).toBeLessThanOrEqual(REPAIR_PROMPT_BUDGET);
    for (const path of ['src/utils/params.ts', 'src/__tests__/review-1-1.test.ts', 'src/__tests__/params.test.ts', 'src/types.ts', 'src/utils/json.ts', 'src/index.ts']) {
      expect(sent(prompt, path), path).toBe(true);
    }
    // What did not fit is large, and said to be over the budget.
    expect(prompt).toMatch(/src\/services\/air\.ts \(7900 characters, over the budget\)/);
    // The named files come first, then their own test, then the rest by size.
    expect(prompt.indexOf('path=src/utils/params.ts')).toBeLessThan(prompt.indexOf('path=src/__tests__/params.test.ts'));
    expect(prompt.indexOf('path=src/__tests__/params.test.ts')).toBeLessThan(prompt.indexOf('path=src/types.ts'));
  });

  it('sends a small named file and its test even when the problems alone fill the budget, within the hard limit', () => {
    const crowded = feedbackFor(
      'test',
      Array.from({ length: 10 }, (_, i) => ({ tool: 'vitest' as const, file: 'src/utils/params.ts', code: 'assertion', message: `case ${i}: ${'x'.repeat(1_900)}` })),
    );
    const prompt = repairPrompt(spec, plugin, crowded, 2);
    expect(sent(prompt, 'src/utils/params.ts')).toBe(true);
    expect(sent(prompt, 'src/__tests__/params.test.ts')).toBe(true);
    expect(prompt.length).toBeGreaterThan(REPAIR_PROMPT_BUDGET);
    expect(prompt.length).toBeLessThanOrEqual(REPAIR_PROMPT_LIMIT);
    // Nothing else rides on the exception.
    expect(sent(prompt, 'src/types.ts')).toBe(false);
    expect(prompt).toContain('src/types.ts (763 characters, over the budget)');
  });

  it('keeps a large named file to the budget', () => {
    const big = [file('src/utils/params.ts', pad('place', ALWAYS_SENT_FILE_CHARS + 30_000))];
    const prompt = repairPrompt(spec, big, feedbackFor('test', [{ tool: 'vitest', file: 'src/utils/params.ts', message: 'x' }]), 2);
    expect(prompt.length).toBeLessThanOrEqual(REPAIR_PROMPT_BUDGET);
    expect(prompt).toMatch(/src\/utils\/params\.ts \(\d+ characters, over the budget\)/);
  });
});

describe('applying an answer', () => {
  const current = [file('src/index.ts', "import { a } from './a';\nimport { b } from './b';\nexport { a, b };\n")];

  it('applies search/replace edits in order and keeps the rest of the file', () => {
    const answer = [
      '```edit path=src/index.ts',
      '<<<<<<< SEARCH',
      "import { a } from './a';",
      '=======',
      "import { a } from './a.js';",
      '>>>>>>> REPLACE',
      '<<<<<<< SEARCH',
      "import { b } from './b';",
      '=======',
      "import { b } from './b.js';",
      '>>>>>>> REPLACE',
      '```',
    ].join('\n');
    expect(applyModelAnswer(answer, current)).toEqual([
      file('src/index.ts', "import { a } from './a.js';\nimport { b } from './b.js';\nexport { a, b };\n"),
    ]);
  });

  it('refuses the whole answer when a SEARCH text is not found exactly once, or edits a missing file', () => {
    const answer = [
      '```ts path=src/new.ts',
      'export const n = 1;',
      '```',
      '```edit path=src/index.ts',
      '<<<<<<< SEARCH',
      'import',
      '=======',
      'x',
      '>>>>>>> REPLACE',
      '```',
      '```edit path=src/gone.ts',
      '<<<<<<< SEARCH',
      'a',
      '=======',
      'b',
      '>>>>>>> REPLACE',
      '```',
    ].join('\n');
    expect(() => applyModelAnswer(answer, current)).toThrow(
      expect.objectContaining({ code: 'MODEL_OUTPUT_REFUSED', message: expect.stringMatching(/found 2 times[\s\S]*src\/gone\.ts: there is no such file/) }),
    );
  });

  it('refuses an edit outside src/ like a whole file', () => {
    const answer = '```edit path=../escape.ts\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```';
    expect(() => applyModelAnswer(answer, current)).toThrow(expect.objectContaining({ code: 'MODEL_OUTPUT_REFUSED' }));
  });
});

describe('the review prompt', () => {
  it('says input the specification does not describe never blocks, and names the test file as it is saved', () => {
    const { prompt } = reviewPrompt(spec, [file('src/index.ts', 'export default {};\n')]);
    expect(prompt.replace(/\s+/g, ' ')).toContain('Input the specification does not describe is minor, never major');
    expect(prompt).toContain('review-<iteration>-<n>.test.ts');
    expect(prompt).not.toContain('Earlier reviews of this plugin confirmed');
  });

  it('tells a later review what earlier reviews confirmed, so a variant of a fixed problem does not block again', () => {
    const earlier = ['a stand-up written "Yesterday - x" is refused'];
    const { prompt } = reviewPrompt(spec, [file('src/index.ts', 'export default {};\n')], earlier);
    expect(prompt).toContain('Earlier reviews of this plugin confirmed these problems');
    expect(prompt).toContain('- a stand-up written "Yesterday - x" is refused');
    expect(prompt).toContain('One more variant of the same problem');
    expect(prompt.indexOf('Earlier reviews')).toBeLessThan(prompt.indexOf('Specification:'));
  });

  it('gives the plugin\'s sources before its tests, whole, and names what it left out, all within its budget', () => {
    const files = [
      file('src/__tests__/a.test.ts', 't'.repeat(MAX_REVIEW_PROMPT_CHARS - 5_000)),
      file('src/services/notes-service.ts', 'class NotesService {}\n'),
      file('src/index.ts', 'export default {};\n'),
      file('src/__contract__/contract.test.ts', 'contract'),
    ];
    const { prompt, leftOut } = reviewPrompt(spec, files);
    expect(prompt.indexOf('--- src/index.ts')).toBeLessThan(prompt.indexOf('--- src/services/notes-service.ts'));
    expect(leftOut).toEqual(['src/__tests__/a.test.ts']);
    expect(prompt).toContain('Not shown (over the review budget): src/__tests__/a.test.ts.');
    expect(prompt).not.toContain('contract.test');
    expect(prompt.length).toBeLessThanOrEqual(MAX_REVIEW_PROMPT_CHARS);
    const fits = reviewPrompt(spec, [file('src/__tests__/a.test.ts', 't'.repeat(MAX_REVIEW_PROMPT_CHARS - 20_000))]);
    expect(fits.leftOut).toEqual([]);
    expect(fits.prompt.length).toBeLessThanOrEqual(MAX_REVIEW_PROMPT_CHARS);
  });

  it('carries the facts a reviewer needs to judge without false findings, not the generation prompt', () => {
    const { prompt } = reviewPrompt(spec, [file('src/index.ts', 'export default {};\n')]);
    expect(prompt).toContain(REVIEW_FACTS);
    expect(prompt).toContain(NARROW_RUNTIME_CONTRACT);
    expect(prompt).toContain('require-await is off');
    expect(prompt).toContain('options = { actionContext, actionPlan?, onStreamChunk? }');
    expect(prompt).toContain('permissions.postToRooms');
    expect(prompt).toContain("give a message's entityId (the user) and the runtime's agentId (the agent) different ids");
    expect(prompt).toContain('Its specification `identifier` is the camelCase');
    // Not the generation prompt: no examples to copy, no answer format for files.
    expect(prompt).not.toContain('export class NotesService extends Service');
    expect(prompt).not.toContain('```ts path=');
    expect(REVIEW_FACTS.length).toBeLessThan(10_000);
  });
});

describe('the review answer', () => {
  it('reads findings by kind, and the older issues/suggestions shape as bugs and style', () => {
    expect(ReviewAnswerSchema.parse({ score: 80, findings: [{ kind: 'spec', message: 'no per-user lists' }] }).findings).toEqual([
      { kind: 'spec', severity: 'minor', message: 'no per-user lists' },
    ]);
    expect(ReviewAnswerSchema.parse({ score: 80, findings: [{ kind: 'bug', severity: 'major', message: 'm', test: 'it()' }] }).findings).toEqual([
      { kind: 'bug', severity: 'major', message: 'm', test: 'it()' },
    ]);
    expect(ReviewAnswerSchema.parse({ score: 80, issues: ['shared list'], suggestions: ['rename'] }).findings).toEqual([
      { kind: 'bug', severity: 'minor', message: 'shared list' },
      { kind: 'style', severity: 'minor', message: 'rename' },
    ]);
    expect(ReviewAnswerSchema.safeParse({ score: 80, findings: [{ kind: 'opinion', message: 'meh' }] }).success).toBe(false);
  });
});

describe('the feedback of an iteration', () => {
  it('gives each distinct problem once: a failure an it.each case repeats is one problem', () => {
    const same = { tool: 'vitest' as const, file: 'src/__tests__/review-2-1.test.ts', line: 12, code: 'AssertionError', message: 'expected "• x" to be "x"' };
    const other = { ...same, line: 20, message: 'expected 1 to be 2' };
    const feedback = feedbackFor('review', [same, { ...same }, { ...same }, other]);
    expect(feedback.diagnostics).toEqual([same, other]);
    expect(feedback.total).toBe(2);
  });
});
