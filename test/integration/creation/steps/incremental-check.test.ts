import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckWorker, runBuild, runLint, runTests } from '../../../../src/creation/steps/index.js';
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

// The user of the store is never rewritten: only the store changes between iterations.
const USE = "import { itemsKey } from './store.js';\n\nexport function keyFor(user: string): string {\n  return itemsKey(user);\n}\n";
const STORE_GOOD = 'export function itemsKey(user: string): string {\n  return `items:${user}`;\n}\n';
// Iteration 2, for tsc: the store now wants a number, so the unchanged user no longer compiles.
const STORE_NUMBER = 'export function itemsKey(user: number): string {\n  return `items:${user}`;\n}\n';
// Iteration 2, for ESLint: the store now returns `any`, so the unchanged user returns an unsafe value.
const STORE_ANY = "export function itemsKey(user: string) {\n  return JSON.parse(`\"items:${user}\"`);\n}\n";

const TEST = "import { expect, it } from 'vitest';\nimport { keyFor } from './a-use.js';\n\nit('keys by user', () => {\n  expect(keyFor('ann')).toBe('items:ann');\n});\n";
const STORE_WRONG = 'export function itemsKey(user: string): string {\n  return `list:${user}`;\n}\n';

describe('the warm checker, iteration after iteration', () => {
  it('tsc reports the error a change in one file makes in another, unchanged one, and its fix', async () => {
    const dir = await makeWorkspace(root, 'tsc-across', toolchain, { 'src/a-use.ts': USE, 'src/store.ts': STORE_GOOD });
    const worker = new CheckWorker(dir);
    const ctx = stepContext(dir, toolchain, { worker });
    try {
      // Warmed first, as a job's checker is: the libraries it parsed and bound serve the builds.
      await worker.warm();
      expect(await runBuild(ctx)).toMatchObject({ ok: true, diagnostics: [] });
      await writeFile(join(dir, 'src/store.ts'), STORE_NUMBER);
      const broken = await runBuild(ctx);
      expect(broken.ok).toBe(false);
      expect(broken.diagnostics).toEqual([expect.objectContaining({ tool: 'tsc', file: 'src/a-use.ts', line: 4, code: 'TS2345' })]);
      await writeFile(join(dir, 'src/store.ts'), STORE_GOOD);
      expect(await runBuild(ctx)).toMatchObject({ ok: true, diagnostics: [] });
    } finally {
      worker.close();
    }
  }, 120_000);

  it('lint judges again the unchanged files that depend on a changed one, with the types as they are now', async () => {
    const dir = await makeWorkspace(root, 'lint-across', toolchain, { 'src/a-use.ts': USE, 'src/store.ts': STORE_GOOD });
    const worker = new CheckWorker(dir);
    const ctx = stepContext(dir, toolchain, { worker });
    try {
      expect(await runLint(ctx)).toMatchObject({ ok: true, diagnostics: [] });
      await writeFile(join(dir, 'src/store.ts'), STORE_ANY);
      const broken = await runLint(ctx);
      expect(broken.ok).toBe(false);
      expect(broken.diagnostics).toContainEqual(expect.objectContaining({ tool: 'eslint', file: 'src/a-use.ts', code: '@typescript-eslint/no-unsafe-return' }));
      await writeFile(join(dir, 'src/store.ts'), STORE_GOOD);
      expect(await runLint(ctx)).toMatchObject({ ok: true, diagnostics: [] });
    } finally {
      worker.close();
    }
  }, 120_000);

  it('lint judges again every file when a declaration of globals changes', async () => {
    const cap = 'export function cap(count: number): number {\n  return Math.min(count, ITEM_LIMIT);\n}\n';
    const dir = await makeWorkspace(root, 'lint-globals', toolchain, { 'src/globals.d.ts': 'declare const ITEM_LIMIT: number;\n', 'src/cap.ts': cap });
    const worker = new CheckWorker(dir);
    const ctx = stepContext(dir, toolchain, { worker });
    try {
      expect(await runLint(ctx)).toMatchObject({ ok: true, diagnostics: [] });
      await writeFile(join(dir, 'src/globals.d.ts'), 'declare const ITEM_LIMIT: any;\n');
      const broken = await runLint(ctx);
      expect(broken.diagnostics).toContainEqual(expect.objectContaining({ file: 'src/cap.ts', code: '@typescript-eslint/no-unsafe-argument' }));
    } finally {
      worker.close();
    }
  }, 120_000);

  it('the warm test runner runs the sources as they are now: a fault in iteration 2 fails, its fix passes', async () => {
    const dir = await makeWorkspace(root, 'tests-warm', toolchain, { 'src/a-use.ts': USE, 'src/store.ts': STORE_GOOD, 'src/a-use.test.ts': TEST });
    const testWorker = new CheckWorker(dir, undefined, undefined, 'test');
    const ctx = stepContext(dir, toolchain, { testWorker });
    try {
      await testWorker.warm();
      expect(await runTests(ctx)).toMatchObject({ ok: true, tests: { passed: 1, failed: 0, total: 1 } });
      await writeFile(join(dir, 'src/store.ts'), STORE_WRONG);
      const failed = await runTests(ctx);
      expect(failed).toMatchObject({ ok: false, tests: { passed: 0, failed: 1, total: 1 } });
      expect(failed.diagnostics[0]).toMatchObject({ tool: 'vitest', file: 'src/a-use.test.ts', expected: "'items:ann'", received: "'list:ann'" });
      await writeFile(join(dir, 'src/store.ts'), STORE_GOOD);
      expect(await runTests(ctx)).toMatchObject({ ok: true, tests: { passed: 1, failed: 0, total: 1 } });
    } finally {
      testWorker.close();
    }
  }, 120_000);
});
