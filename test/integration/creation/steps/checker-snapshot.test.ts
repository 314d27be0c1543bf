import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckWorker, runBuild, runLint } from '../../../../src/creation/steps/index.js';
import { usableCheckerSnapshot } from '../../../../src/creation/steps/checker-snapshot.js';
import { makeCheckerSnapshot } from '../../../../src/creation/steps/make-checker-snapshot.js';
import type { Toolchain } from '../../../../src/creation/toolchain/index.js';
import { childNode, type ChildNode } from '../../../../src/shared/child-node.js';
import { fixtureRoot, makeWorkspace, stepContext } from './workspace-fixture.js';

let root: string;
let toolchain: Toolchain;
let node: ChildNode;
let snapshotDir: string;

beforeAll(async () => {
  ({ root, toolchain } = await fixtureRoot());
  node = await childNode();
  snapshotDir = join(root, 'snapshot');
  await makeCheckerSnapshot(node, { dir: snapshotDir });
}, 240_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SAVE = 'export async function save(name: string): Promise<number> {\n  await Promise.resolve();\n  return name.length;\n}\n';
// A type error (a number where a string is wanted) and, once that is mended, a promise left floating.
const RUN_BROKEN = "import { save } from './save.js';\n\nexport function run(): void {\n  void save(42);\n}\n";
const RUN_FLOATING = "import { save } from './save.js';\n\nexport function run(): void {\n  save('a');\n}\n";

/** The command line a running process was started with. */
const commandLine = (pid: number | undefined): string[] => (pid === undefined ? [] : readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));

/** Build, mend, build, lint: what a checker answers, with the snapshot in `dir` or none. */
async function judge(name: string, dir: string): Promise<{ started: string[]; answers: unknown[] }> {
  const workspace = await makeWorkspace(root, name, toolchain, { 'src/save.ts': SAVE, 'src/run.ts': RUN_BROKEN });
  const worker = new CheckWorker(workspace, undefined, undefined, 'check', dir);
  const ctx = stepContext(workspace, toolchain, { worker });
  try {
    const broken = await runBuild(ctx);
    const started = commandLine(worker.pid);
    await writeFile(join(workspace, 'src/run.ts'), RUN_FLOATING);
    const built = await runBuild(ctx);
    const linted = await runLint(ctx);
    const strip = (r: { ok: boolean; diagnostics: unknown[] }) => ({ ok: r.ok, diagnostics: r.diagnostics });
    return { started, answers: [strip(broken), strip(built), strip(linted)] };
  } finally {
    worker.close();
  }
}

describe("the checker's startup snapshot", () => {
  it('is used only while it was made for this Node, these V8 flags and this TypeScript', async () => {
    const manifest = join(snapshotDir, 'checker.json');
    const made = await readFile(manifest, 'utf8');
    expect(usableCheckerSnapshot(node, snapshotDir)).toBe(join(snapshotDir, 'checker.blob'));
    try {
      const key = JSON.parse(made) as Record<string, unknown>;
      for (const other of [{ node: '20.0.0' }, { flags: ['--max-old-space-size=512'] }, { typescript: 'elsewhere/typescript.js' }, { builder: 'another' }]) {
        await writeFile(manifest, JSON.stringify({ ...key, ...other }));
        expect(usableCheckerSnapshot(node, snapshotDir)).toBeUndefined();
      }
      await writeFile(manifest, '{ not json');
      expect(usableCheckerSnapshot(node, snapshotDir)).toBeUndefined();
    } finally {
      await writeFile(manifest, made);
    }
    expect(usableCheckerSnapshot(node, snapshotDir)).toBe(join(snapshotDir, 'checker.blob'));
    expect(usableCheckerSnapshot(node, join(root, 'nothing-here'))).toBeUndefined();
  });

  it('a checker started from it answers build and lint as one started without it', async () => {
    const fromSnapshot = await judge('with-snapshot', snapshotDir);
    const without = await judge('without-snapshot', join(root, 'no-snapshot'));
    expect(fromSnapshot.started).toContain('--snapshot-blob');
    expect(without.started).not.toContain('--snapshot-blob');
    // The same findings, in the same words, file for file: one type error, then one floating promise.
    expect(fromSnapshot.answers).toEqual(without.answers);
    const [broken, built, linted] = fromSnapshot.answers as { ok: boolean; diagnostics: { file?: string; code?: string }[] }[];
    expect(broken).toMatchObject({ ok: false, diagnostics: [{ file: 'src/run.ts', code: 'TS2345' }] });
    expect(built).toEqual({ ok: true, diagnostics: [] });
    expect(linted).toMatchObject({ ok: false, diagnostics: [{ file: 'src/run.ts', code: '@typescript-eslint/no-floating-promises' }] });
  }, 240_000);
});
