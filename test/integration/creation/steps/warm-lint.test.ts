import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckWorker, runBuild, runLint } from '../../../../src/creation/steps/index.js';
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

// Iteration 1: a store and a user of it. Iteration 2 adds an export to the store and uses it.
const STORE_1 = 'export function itemsKey(user: string): string {\n  return `items:${user}`;\n}\n';
const USE_1 = "import { itemsKey } from './store.js';\n\nexport function keyFor(user: string): string {\n  return itemsKey(user);\n}\n";
const STORE_2 = `${STORE_1}\nexport const MAX_ITEMS = 50;\n\nexport function limit(count: number): number {\n  return Math.min(count, MAX_ITEMS);\n}\n`;
const USE_2 = "import { itemsKey, limit } from './store.js';\n\nexport function keyFor(user: string): string {\n  return itemsKey(user);\n}\n\nexport function capped(count: number): number {\n  return limit(count);\n}\n";

describe('the warm checker across iterations', () => {
  it('iteration 2 adds an export in one file and uses it in another: lint sees the current files and passes', async () => {
    // "a-use.ts" sorts before "store.ts", so it is linted before the store is read again.
    const dir = await makeWorkspace(root, 'stale', toolchain, { 'src/a-use.ts': USE_1, 'src/store.ts': STORE_1 });
    const worker = new CheckWorker(dir);
    const ctx = stepContext(dir, toolchain, { worker });
    try {
      expect((await runBuild(ctx)).ok).toBe(true);
      expect(await runLint(ctx)).toMatchObject({ ok: true, diagnostics: [] });

      await writeFile(join(dir, 'src/store.ts'), STORE_2);
      await writeFile(join(dir, 'src/a-use.ts'), USE_2);
      expect((await runBuild(ctx)).ok).toBe(true);
      const second = await runLint(ctx);
      expect(second.diagnostics).toEqual([]);
      expect(second.ok).toBe(true);
    } finally {
      worker.close();
    }
  }, 120_000);

  it('lint right after its build judges the types with that program; a file changed since the build is linted as it is now', async () => {
    const SAVE = 'export async function save(): Promise<void> {\n  await Promise.resolve();\n}\n';
    const CALLER_OK = "import { save } from './save.js';\n\nexport async function run(): Promise<void> {\n  await save();\n}\n";
    const CALLER_FLOATING = "import { save } from './save.js';\n\nexport function run(): void {\n  save();\n}\n";
    const dir = await makeWorkspace(root, 'after-build', toolchain, { 'src/save.ts': SAVE, 'src/run.ts': CALLER_FLOATING });
    const worker = new CheckWorker(dir);
    const ctx = stepContext(dir, toolchain, { worker });
    try {
      expect((await runBuild(ctx)).ok).toBe(true);
      const floating = await runLint(ctx);
      expect(floating.ok).toBe(false);
      expect(floating.diagnostics).toEqual([expect.objectContaining({ file: 'src/run.ts', code: '@typescript-eslint/no-floating-promises' })]);

      // The build's program is out of date now: lint must not answer from it.
      await writeFile(join(dir, 'src/run.ts'), CALLER_OK);
      expect(await runLint(ctx)).toMatchObject({ ok: true, diagnostics: [] });
      await writeFile(join(dir, 'src/run.ts'), CALLER_FLOATING);
      expect((await runLint(ctx)).diagnostics).toEqual([expect.objectContaining({ file: 'src/run.ts', line: 4, code: '@typescript-eslint/no-floating-promises' })]);
    } finally {
      worker.close();
    }
  }, 120_000);

  it('hands back the sources its fixes changed, and only those', async () => {
    const dir = await makeWorkspace(root, 'fixes', toolchain, {
      'src/count.ts': 'export function count(): number {\n  let total = 3;\n  return total;\n}\n',
      'src/clean.ts': 'export const clean = 1;\n',
    });
    const worker = new CheckWorker(dir);
    try {
      const result = await runLint(stepContext(dir, toolchain, { worker }));
      expect(result.ok).toBe(true);
      expect(result.fixed).toEqual([{ path: 'src/count.ts', content: 'export function count(): number {\n  const total = 3;\n  return total;\n}\n' }]);
      expect(await readFile(join(dir, 'src/count.ts'), 'utf8')).toContain('const total = 3;');
    } finally {
      worker.close();
    }
  }, 120_000);
});
