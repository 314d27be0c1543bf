import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { ensureToolchain, type Toolchain } from '../../../../src/creation/toolchain/index.js';
import { validatePlugin, validationProblems } from '../../../../src/creation/validate/index.js';

const spec = parsePluginSpec({
  name: 'plugin-memo',
  description: 'Keeps memos for the agent',
  version: '0.1.0',
  actions: [{ name: 'addMemo', description: 'Add a memo' }],
  providers: [{ name: 'memoCount', description: 'How many memos' }],
  services: [{ name: 'memoStore', description: 'Stores memos', methods: ['save'] }],
  evaluators: [{ name: 'memoAsked', description: 'Notices memo requests', triggers: ['memo'] }],
});

const SOURCE = "export const note = (text: string): string => text.trim();\n";
const TESTS = [
  "import { addMemoAction } from '../actions/add-memo.js';",
  "import { memoCountProvider } from '../providers/memo-count.js';",
  "import { MemoStoreService } from '../services/memo-store.js';",
  "import { memoAskedEvaluator } from '../evaluators/memo-asked.js';",
  '',
].join('\n');

/** The built module as tsc would have emitted it, with the given components. */
function builtPlugin(parts: { actions?: string[]; providers?: string[]; services?: string[]; evaluators?: string[] }): string {
  const list = (names: string[] = []) => names.map((n) => `{ name: ${JSON.stringify(n)} }`).join(', ');
  const services = (parts.services ?? []).map((t) => `class { static serviceType = ${JSON.stringify(t)}; }`).join(', ');
  return `export const plugin = { name: 'plugin-memo', actions: [${list(parts.actions)}], providers: [${list(parts.providers)}], evaluators: [${list(parts.evaluators)}], services: [${services}] };\nexport default plugin;\n`;
}

const COMPLETE = { actions: ['ADD_MEMO'], providers: ['memoCount'], services: ['memo_store'], evaluators: ['MEMO_ASKED'] };

let root: string;
let toolchain: Toolchain;
let count = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pd-validate-'));
  toolchain = await ensureToolchain(join(root, 'data'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = join(root, `ws-${count++}`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const validate = (workspaceDir: string) => validatePlugin({ workspaceDir, spec, toolchain, timeoutMs: 60_000 });

describe('validation of a built plugin', () => {
  it('accepts a plugin with every component of its specification, each tested, and safe source', async () => {
    const dir = await workspace({ 'src/index.ts': SOURCE, 'src/__tests__/plugin.test.ts': TESTS, 'dist/index.js': builtPlugin(COMPLETE) });
    expect(await validate(dir)).toEqual({ ok: true, findings: [], missing: [], untested: [] });
  });

  it('names a component the specification declares but the built plugin lacks', async () => {
    const dir = await workspace({
      'src/index.ts': SOURCE,
      'src/__tests__/plugin.test.ts': TESTS,
      'dist/index.js': builtPlugin({ ...COMPLETE, providers: [], services: ['memo_other'] }),
    });
    const report = await validate(dir);
    expect(report.ok).toBe(false);
    expect(report.missing).toEqual(['provider memoCount', 'service memo_store']);
    expect(report.untested).toEqual([]);
  });

  it('names a component no test of the plugin refers to, not counting the contract tests', async () => {
    const dir = await workspace({
      'src/index.ts': SOURCE,
      'src/__tests__/plugin.test.ts': TESTS.replace("import { memoAskedEvaluator } from '../evaluators/memo-asked.js';\n", ''),
      'src/__contract__/contract.test.ts': "describe('MEMO_ASKED', () => {});\n",
      'dist/index.js': builtPlugin(COMPLETE),
    });
    const report = await validate(dir);
    expect(report).toMatchObject({ ok: false, missing: [], untested: ['evaluator MEMO_ASKED'] });
  });

  it('refuses dangerous source with the file and line of each finding', async () => {
    const dir = await workspace({
      'src/index.ts': `${SOURCE}import { execSync } from 'node:child_process';\nexport const run = () => execSync('id');\n`,
      'src/__tests__/plugin.test.ts': TESTS,
      'dist/index.js': builtPlugin(COMPLETE),
    });
    const report = await validate(dir);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ file: 'src/index.ts', line: 2, rule: 'forbidden-module' })]);
  });

  it('reports a built module that fails to import as the cause, without a "missing" line for each component', async () => {
    const dir = await workspace({ 'src/index.ts': SOURCE, 'src/__tests__/plugin.test.ts': TESTS, 'dist/index.js': "throw new Error('broken at load');\n" });
    const report = await validate(dir);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ file: 'dist/index.js', rule: 'import-failed' })]);
    expect(report.findings[0]?.message).toContain('broken at load');
    expect(report.missing).toEqual([]);
    expect(validationProblems(report)[0]).toMatchObject({ code: 'import-failed' });
  });

  it('reports a plugin that was never built as one cause, not as every component missing', async () => {
    const dir = await workspace({ 'src/index.ts': SOURCE, 'src/__tests__/plugin.test.ts': TESTS });
    const report = await validate(dir);
    expect(report.ok).toBe(false);
    expect(report.missing).toEqual([]);
    expect(validationProblems(report).map((p) => p.code)).toEqual(['import-failed']);
  });

  it('orders problems cause first: import failure, missing, untested, then scan findings', () => {
    const problems = validationProblems({
      ok: false,
      findings: [
        { file: 'src/x.ts', line: 3, rule: 'environment-read', message: 'reads process.env' },
        { file: 'dist/index.js', line: 1, rule: 'import-failed', message: 'cannot find ./x' },
      ],
      missing: ['action A'],
      untested: ['provider b'],
    });
    expect(problems.map((p) => p.code)).toEqual(['import-failed', 'missing-component', 'untested-component', 'environment-read']);
  });
});
