import { mkdir, mkdtemp, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureToolchain, linkToolchain, type Toolchain } from '../../../../src/creation/toolchain/index.js';
import type { StepContext } from '../../../../src/creation/steps/index.js';

/** A temp folder for one test file: its toolchain data and its workspaces. */
export async function fixtureRoot(): Promise<{ root: string; toolchain: Toolchain }> {
  const root = await mkdtemp(join(tmpdir(), 'pd-steps-'));
  return { root, toolchain: await ensureToolchain(join(root, 'data')) };
}

const PACKAGE_JSON = { name: 'fixture-plugin', version: '0.0.0', private: true, type: 'module' };

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    outDir: 'dist',
    rootDir: 'src',
  },
  include: ['src'],
};

const ESLINT_CONFIG = `import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vitest/**', '.home/**', 'eslint.config.js', 'vitest.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
);
`;

// A test that hangs must be stopped by the step's time limit, not by Vitest's own.
const VITEST_CONFIG = `import { defineConfig } from 'vitest/config';

export default defineConfig({
  cacheDir: '.vitest',
  test: { include: ['src/**/*.test.ts'], watch: false, testTimeout: 600000 },
});
`;

/** A tiny strict ESM workspace with the given sources, the toolchain linked in. */
export async function makeWorkspace(root: string, name: string, toolchain: Toolchain, sources: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  const files: Record<string, string> = {
    'package.json': JSON.stringify(PACKAGE_JSON, null, 2),
    'tsconfig.json': JSON.stringify(TSCONFIG, null, 2),
    'eslint.config.js': ESLINT_CONFIG,
    'vitest.config.ts': VITEST_CONFIG,
    ...sources,
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await linkToolchain(toolchain, dir);
  return dir;
}

export function stepContext(workspaceDir: string, toolchain: Toolchain, extra: Partial<StepContext> = {}): StepContext {
  return { workspaceDir, toolchain, timeoutMs: 120_000, outputCapBytes: 4_194_304, ...extra };
}

interface ProcessInfo {
  pid: number;
  pgid: number;
  cwd: string | undefined;
}

/** Every process on the machine that is still running (zombies left for a reaper do not count). */
export async function liveProcesses(): Promise<ProcessInfo[]> {
  const out: ProcessInfo[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length < 3 || fields[0] === 'Z' || fields[0] === 'X') continue;
    out.push({ pid: Number(entry), pgid: Number(fields[2]), cwd: await readlink(`/proc/${entry}/cwd`).catch(() => undefined) });
  }
  return out;
}

/** The process group of a running process. */
export async function processGroupOf(pid: number): Promise<number | undefined> {
  return (await liveProcesses()).find((p) => p.pid === pid)?.pgid;
}

/** Waits for a file a fixture test writes once it runs, while the step is still going. */
export async function waitForFile(path: string, stillRunning: () => boolean): Promise<string | undefined> {
  while (stillRunning()) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
