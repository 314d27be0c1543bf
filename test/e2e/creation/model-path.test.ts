import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFiles } from '../../../src/creation/generators/template/index.js';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { parsePluginSpec } from '../../../src/creation/spec/index.js';
import { pluginDynamic } from '../../../src/index.js';
import { processesIn, settledProcessesIn } from '../../helpers/processes.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

type File = { path: string; content: string };
const answer = (files: File[]): string =>
  `Here is the plugin.\n\n${files.map((f) => `\`\`\`ts path=${f.path}\n${f.content}\`\`\``).join('\n\n')}\n`;
const REVIEW = JSON.stringify({ score: 88, findings: [{ kind: 'style', message: 'add more examples' }] });

function specFor(name: string) {
  return {
    name,
    description: 'Weather for a place',
    actions: [{ name: 'getCurrentWeather', description: 'Current weather', parameters: { location: 'string' } }],
    providers: [{ name: 'weatherData', description: 'Weather context' }],
  };
}
const goodFiles = (name: string): File[] => templateFiles(parsePluginSpec(specFor(name)));
const withFile = (files: File[], extra: File): File[] => [...files.filter((f) => f.path !== extra.path), extra];
const EXTRA_TEST = 'src/__tests__/extra.test.ts';

describe('the model path with a scripted model', () => {
  let t: TestRuntime;
  let script: (prompt: string, generation: number) => string = () => '';
  let generation = 0;
  const generationPrompts: string[] = [];
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const until = async (id: string, done: (job: JobRecord) => boolean): Promise<JobRecord> => {
    for (;;) {
      const job = creation().getJob(id);
      if (done(job)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    t = await createTestRuntime({
      plugins: [pluginDynamic],
      settings: { PLUGIN_DYNAMIC_GENERATOR: 'model', PLUGIN_DYNAMIC_COMMAND_TIMEOUT_MS: '25000' },
      model: (prompt) => {
        if (prompt.startsWith('You review')) return REVIEW;
        generationPrompts.push(prompt);
        return script(prompt, ++generation);
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  });
  afterAll(async () => t.cleanup());

  // Every plugin here declares the same action, so only the first is loaded into the runtime.
  const start = (name: string, files: (n: number) => string, activate = false) => {
    generation = 0;
    generationPrompts.length = 0;
    script = (_p, n) => files(n);
    return creation().createFromSpec(specFor(name), { generator: 'model', activate });
  };

  it('repairs a build failure, then a test failure, and succeeds in iteration 3 with the feedback in its prompts', async () => {
    const name = 'plugin-model-weather';
    const good = goodFiles(name);
    const action = good.find((f) => f.path.startsWith('src/actions/'))!;
    const broken = { ...action, content: `${action.content}\nexport const brokenValue: number = 'not a number';\n` };
    const failingTest = { path: EXTRA_TEST, content: "import { expect, it } from 'vitest';\n\nit('adds two and two', () => {\n  expect(2 + 2).toBe(5);\n});\n" };
    const fixedTest = { path: EXTRA_TEST, content: "import { expect, it } from 'vitest';\n\nit('adds two and two', () => {\n  expect(2 + 2).toBe(4);\n});\n" };
    const queued = await start(name, (n) => answer(n === 1 ? withFile(good, broken) : n === 2 ? withFile(good, failingTest) : withFile(good, fixedTest)), true);
    const job = await creation().waitForJob(queued.id);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.iterations.map((i) => i.failedAt ?? 'passed')).toEqual(['build', 'test', 'passed']);
    expect(job.validation?.review?.score).toBe(88);
    // Generated code is loaded isolated by default: in its own sandboxed host, not the agent's process.
    const loaded = t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)?.get(name);
    expect(loaded).toMatchObject({ status: 'active', trust: 'generated', isolation: 'isolated' });

    const [, second, third] = generationPrompts;
    expect(second).toContain("export const brokenValue: number = 'not a number';");
    expect(second).toContain(`${action.path}:`);
    expect(second).toContain('[TS2322]');
    expect(third).toContain('adds two and two');
    expect(third).toContain('expected: 5');
    expect(third).toContain('received: 4');
    expect(third).toContain('expect(2 + 2).toBe(5);');
  });

  it('refuses an answer that writes outside src/ and writes nothing outside the workspace', async () => {
    const name = 'plugin-model-escape';
    const queued = await start(name, (n) =>
      answer(n === 1 ? [...goodFiles(name), { path: '../../x.ts', content: 'export const x = 1;\n' }] : goodFiles(name)),
    );
    const job = await creation().waitForJob(queued.id);
    expect(job.iterations[0]?.failedAt).toBe('generate');
    expect(job.iterations[0]?.diagnostics[0]?.code).toBe('MODEL_OUTPUT_REFUSED');
    expect(job.status, JSON.stringify([job.error, job.iterations.at(-1)])).toBe('succeeded');
    expect(existsSync(join(job.workspaceDir, '..', '..', 'x.ts'))).toBe(false);
    expect(existsSync(join(job.workspaceDir, 'src', 'index.ts'))).toBe(true);
    expect(generationPrompts[1]).toContain('../../x.ts');
  });

  it('refuses a plugin that reads the whole environment or starts a process', async () => {
    const name = 'plugin-model-nosy';
    const nosy = {
      path: 'src/nosy.ts',
      content: "import { spawn } from 'node:child_process';\n\nexport const everything = (): string[] => Object.keys(process.env);\nexport const run = (): void => {\n  spawn('ls');\n};\n",
    };
    const queued = await start(name, () => answer([...goodFiles(name), nosy]));
    await until(queued.id, (j) => j.iterations.length >= 1);
    await creation().cancel(queued.id).catch(() => undefined);
    const job = await creation().waitForJob(queued.id);
    const rules = job.iterations[0]?.diagnostics.map((d) => d.code);
    expect(job.iterations[0]?.failedAt).toBe('validate');
    expect(rules).toEqual(expect.arrayContaining(['forbidden-module', 'environment-read']));
  });

  it('cancelling during the test phase kills the tools and leaves no process behind', async () => {
    const name = 'plugin-model-slow';
    const hanging = { path: EXTRA_TEST, content: "import { it } from 'vitest';\n\nit('never ends', () => {\n  for (;;) {\n    // spins\n  }\n});\n" };
    const queued = await start(name, () => answer(withFile(goodFiles(name), hanging)));
    const running = await until(queued.id, (j) => j.phase === 'test' || j.status !== 'running' && j.status !== 'queued');
    expect(running.phase).toBe('test');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(processesIn(running.workspaceDir).length).toBeGreaterThan(0);
    const job = await creation().cancel(queued.id);
    expect(job.status).toBe('cancelled');
    expect(await settledProcessesIn(running.workspaceDir)).toEqual([]);
  });

  it('a test that hangs hits the command time limit and the iteration fails naming it', async () => {
    const name = 'plugin-model-hang';
    const hanging = { path: EXTRA_TEST, content: "import { it } from 'vitest';\n\nit('never ends', () => {\n  for (;;) {\n    // spins\n  }\n});\n" };
    const queued = await start(name, () => answer(withFile(goodFiles(name), hanging)));
    const job = await until(queued.id, (j) => j.iterations.length >= 1);
    await creation().cancel(queued.id).catch(() => undefined);
    expect(job.iterations[0]?.failedAt).toBe('test');
    expect(job.iterations[0]?.diagnostics[0]?.message).toContain('test was stopped by the sandbox: the wall-time limit');
    expect(await settledProcessesIn(job.workspaceDir)).toEqual([]);
  }, 120_000);
});
