import { realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTests, type StepResult } from '../../../../src/creation/steps/index.js';
import type { Toolchain } from '../../../../src/creation/toolchain/index.js';
import { fixtureRoot, liveProcesses, makeWorkspace, processGroupOf, stepContext, waitForFile } from './workspace-fixture.js';

let root: string;
let toolchain: Toolchain;

beforeAll(async () => {
  ({ root, toolchain } = await fixtureRoot());
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const SOURCE = { 'src/add.ts': 'export const add = (a: number, b: number): number => a + b;\n' };

// The test writes its own pid and then waits forever, so a step can be stopped while it runs.
const HANGING = {
  ...SOURCE,
  'src/hang.test.ts': `import { writeFileSync } from 'node:fs';
import { it } from 'vitest';

it('never ends', async () => {
  writeFileSync('started.txt', String(process.pid));
  await new Promise(() => undefined);
});
`,
};

/** Starts the test step and, once the hanging test runs, gives the process group it runs in. */
async function startHanging(name: string, extra: Parameters<typeof stepContext>[2]): Promise<{ dir: string; pgid: number | undefined; done: Promise<StepResult> }> {
  const dir = await makeWorkspace(root, name, toolchain, HANGING);
  let running = true;
  const done = runTests(stepContext(dir, toolchain, extra)).finally(() => {
    running = false;
  });
  const pid = await waitForFile(join(dir, 'started.txt'), () => running);
  return { dir, pgid: pid === undefined ? undefined : await processGroupOf(Number(pid)), done };
}

/** Nothing of the step may keep running: not in its process group, not in its workspace. */
async function expectNothingLeft(dir: string, pgid: number): Promise<void> {
  const workspace = await realpath(dir);
  await vi.waitFor(async () => {
    const left = (await liveProcesses()).filter((p) => p.pgid === pgid || p.cwd?.startsWith(workspace));
    expect(left).toEqual([]);
  });
}

describe('the test step', () => {
  it('passes with counts, in an environment without the host secrets', async () => {
    process.env['PD_SECRET_PROBE'] = 'sk-must-not-leak';
    const dir = await makeWorkspace(root, 'tests-good', toolchain, {
      ...SOURCE,
      'src/add.test.ts': `import { expect, it } from 'vitest';
import { add } from './add.js';

it('adds two numbers', () => {
  expect(add(2, 3)).toBe(5);
});

it('runs without the host secrets, at home in its workspace', () => {
  expect(process.env['PD_SECRET_PROBE']).toBeUndefined();
  expect(process.env['HOME']).toMatch(/\\.home$/);
});
`,
    });
    try {
      const result = await runTests(stepContext(dir, toolchain));
      expect(result).toMatchObject({ step: 'test', ok: true, diagnostics: [], tests: { passed: 2, failed: 0, total: 2 } });
    } finally {
      delete process.env['PD_SECRET_PROBE'];
    }
  });

  it('names a failing test with what was expected and what was received', async () => {
    const dir = await makeWorkspace(root, 'tests-bad', toolchain, {
      ...SOURCE,
      'src/add.test.ts': `import { describe, expect, it } from 'vitest';
import { add } from './add.js';

describe('add', () => {
  it('adds two numbers', () => {
    expect(add(2, 3)).toBe(5);
  });

  it('adds a negative number', () => {
    expect(add(2, -3)).toBe(1);
  });
});
`,
    });
    const result = await runTests(stepContext(dir, toolchain));
    expect(result.ok).toBe(false);
    expect(result.tests).toEqual({ passed: 1, failed: 1, total: 2 });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ tool: 'vitest', file: 'src/add.test.ts', code: 'add adds a negative number', expected: '1', received: '-1' }),
    ]);
  });

  it('kills a hanging test run at the time limit, with its whole process group', async () => {
    const { dir, pgid, done } = await startHanging('tests-hang', { timeoutMs: 8_000 });
    const result = await done;
    expect(result).toMatchObject({ ok: false, timedOut: true, cancelled: false });
    expect(pgid).toBeTypeOf('number');
    await expectNothingLeft(dir, pgid ?? 0);
  });

  it('kills the process group when the job is cancelled during the test step', async () => {
    const controller = new AbortController();
    const { dir, pgid, done } = await startHanging('tests-cancel', { signal: controller.signal });
    expect(pgid).toBeTypeOf('number');
    controller.abort();
    const result = await done;
    expect(result).toMatchObject({ ok: false, cancelled: true, timedOut: false });
    await expectNothingLeft(dir, pgid ?? 0);
  });

  it('fails a run that fills its workspace past the workspace-size limit, naming the bound', async () => {
    const dir = await makeWorkspace(root, 'tests-fill', toolchain, {
      ...SOURCE,
      'src/fill.test.ts': `import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('writes 3 MB of files that pass', () => {
  for (let i = 0; i < 3; i++) writeFileSync(\`fill-\${i}.bin\`, Buffer.alloc(1024 * 1024, 1));
  expect(1 + 1).toBe(2);
});
`,
    });
    // The tests pass, but the workspace (sources, build output, the 3 MB) is over a 2 MB bound.
    const result = await runTests(stepContext(dir, toolchain, { workspaceLimitBytes: 2 * 1024 * 1024 }));
    expect(result.tests).toMatchObject({ passed: 1, failed: 0 });
    expect(result.ok).toBe(false);
    expect(result.bounds).toEqual(['the workspace-size limit (2 MB)']);
    expect(result.rawTail).toMatch(/^stopped by the workspace-size limit \(2 MB\)\./);
  });
});
