import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuild, runLint } from '../../../../src/creation/steps/index.js';
import type { Toolchain } from '../../../../src/creation/toolchain/index.js';
import { fixtureRoot, makeWorkspace, stepContext } from './workspace-fixture.js';

let root: string;
let toolchain: Toolchain;

beforeAll(async () => {
  ({ root, toolchain } = await fixtureRoot());
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const GOOD = {
  'src/index.ts': `export function greet(name: string): string {\n  return \`hello \${name}\`;\n}\n`,
};

describe('the build step', () => {
  it('passes a workspace that type-checks, and emits dist/', async () => {
    const dir = await makeWorkspace(root, 'build-good', toolchain, GOOD);
    const result = await runBuild(stepContext(dir, toolchain));
    expect(result).toMatchObject({ step: 'build', ok: true, diagnostics: [], timedOut: false, cancelled: false, outputLimitHit: false });
    expect(await readFile(join(dir, 'dist', 'index.js'), 'utf8')).toContain('function greet');
  });

  it('fails with TS2322 at the file and line of the wrong assignment', async () => {
    const dir = await makeWorkspace(root, 'build-bad', toolchain, {
      ...GOOD,
      'src/count.ts': `export function count(): number {\n  const total: number = 'three';\n  return total;\n}\n`,
    });
    const result = await runBuild(stepContext(dir, toolchain));
    expect(result.ok).toBe(false);
    expect(result.timedOut).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ tool: 'tsc', file: 'src/count.ts', line: 2, column: 9, code: 'TS2322' }),
    ]);
    expect(result.diagnostics[0]?.message).toContain("'string' is not assignable to type 'number'");
  });
});

describe('the lint step', () => {
  it('passes a clean workspace', async () => {
    const dir = await makeWorkspace(root, 'lint-good', toolchain, GOOD);
    const result = await runLint(stepContext(dir, toolchain));
    expect(result).toMatchObject({ step: 'lint', ok: true, diagnostics: [] });
  });

  it('fixes what ESLint can fix, then fails on a type-aware rule with its id and place', async () => {
    const dir = await makeWorkspace(root, 'lint-bad', toolchain, {
      'src/index.ts': [
        'async function save(): Promise<void> {}',
        '',
        'export function run(): number {',
        '  let attempts = 1;',
        '  save();',
        '  return attempts;',
        '}',
        '',
      ].join('\n'),
    });
    const result = await runLint(stepContext(dir, toolchain));
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ tool: 'eslint', file: 'src/index.ts', line: 5, code: '@typescript-eslint/no-floating-promises' }),
    ]);
    // prefer-const was fixed in the file before the verdict, so it is not reported.
    expect(await readFile(join(dir, 'src', 'index.ts'), 'utf8')).toContain('const attempts = 1;');
  });
});
