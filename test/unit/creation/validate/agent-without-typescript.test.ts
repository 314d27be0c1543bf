import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { ensureToolchain, type Toolchain } from '../../../../src/creation/toolchain/index.js';
import { runProcess, scrubbedEnv } from '../../../../src/shared/process-runner.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const VALIDATE = join(ROOT, 'src', 'creation', 'validate', 'validate-plugin.ts');

// A fresh Node (the agent's part of validation, loaded from source through tsx) that validates one
// plugin, then reports its findings and every module of TypeScript it holds. TypeScript is CommonJS:
// whoever imports it, from ESM or CJS, leaves its file in the one CommonJS module cache.
const CHILD = `
import { createRequire } from 'node:module';
const [validatePath, workspaceDir, spec, toolchain] = process.argv.slice(1);
const { validatePlugin } = await import(validatePath);
const report = await validatePlugin({ workspaceDir, spec: JSON.parse(spec), toolchain: JSON.parse(toolchain), timeoutMs: 60_000 });
const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /[\\\\/]node_modules[\\\\/]typescript[\\\\/]/.test(file));
console.log(JSON.stringify({ rules: report.findings.map((f) => f.rule), typescript: loaded }));
process.exit(0);
`;

const ChildReport = z.object({ rules: z.array(z.string()), typescript: z.array(z.string()) });

const spec = parsePluginSpec({
  name: 'plugin-memo',
  description: 'Keeps memos for the agent',
  version: '0.1.0',
  actions: [{ name: 'addMemo', description: 'Add a memo' }],
});

let root: string;
let toolchain: Toolchain;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pd-validate-no-ts-'));
  toolchain = await ensureToolchain(join(root, 'data'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the agent's part of validation", () => {
  it('scans the sources without loading TypeScript into the agent, and still refuses what the scan refuses', async () => {
    const dir = join(root, 'ws');
    await mkdir(join(dir, 'src', '__tests__'), { recursive: true });
    await mkdir(join(dir, 'dist'), { recursive: true });
    await writeFile(join(dir, 'src', 'index.ts'), "declare const code: string;\nexport const run = (): unknown => eval(code);\n");
    await writeFile(join(dir, 'src', '__tests__', 'plugin.test.ts'), "import { addMemoAction } from '../actions/add-memo.js';\n");
    await writeFile(join(dir, 'dist', 'index.js'), "export const plugin = { name: 'plugin-memo', actions: [{ name: 'ADD_MEMO' }] };\n");

    const run = await runProcess({
      command: process.execPath,
      args: ['--import', 'tsx', '--input-type=module', '-e', CHILD, VALIDATE, dir, JSON.stringify(spec), JSON.stringify(toolchain)],
      cwd: ROOT,
      env: scrubbedEnv(join(root, 'home'), { LOG_LEVEL: 'error' }),
      timeoutMs: 120_000,
      maxOutputBytes: 1_048_576,
    });
    expect(run.stderr).toBe('');
    const report = ChildReport.parse(JSON.parse(run.stdout.trim().split('\n').pop() ?? ''));
    // The scan ran (in the scanner's process) and found the eval ...
    expect(report.rules).toEqual(['eval']);
    // ... while this process never loaded the compiler.
    expect(report.typescript).toEqual([]);
  });
});
