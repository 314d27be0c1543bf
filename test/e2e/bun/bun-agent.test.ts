import { existsSync, realpathSync } from 'node:fs';
import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../../src/shared/process-runner.js';
import { ROOT } from '../cli/cli-process.js';

/** bun from the npm registry (a dev dependency; its binary ships as an optional platform package). */
const INSTALLED_BUN = join(ROOT, 'node_modules', '.bin', 'bun');
const AGENT = join(ROOT, 'test', 'e2e', 'bun', 'agent-under-bun.ts');

type Step = { step: string } & Record<string, unknown>;

describe('an agent started under bun, as `elizaos start` runs it', () => {
  let dataDir: string;
  let bunDir: string;
  let steps: Step[] = [];
  let stderr = '';

  beforeAll(async () => {
    expect(existsSync(INSTALLED_BUN), `${INSTALLED_BUN} is missing: run npm ci`).toBe(true);
    dataDir = await mkdtemp(join(tmpdir(), 'pd-bun-agent-'));
    // bunx and npx keep the bun they run under the temp folder, where the sandbox's private /tmp
    // hides it: a child started with the agent's own executable could not even start there.
    bunDir = await mkdtemp(join(tmpdir(), 'pd-bunx-'));
    const bun = join(bunDir, 'bun');
    await copyFile(realpathSync(INSTALLED_BUN), bun);
    await chmod(bun, 0o755);
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? dataDir,
      LOG_LEVEL: 'warn',
      ...(process.env['npm_config_registry'] ? { npm_config_registry: process.env['npm_config_registry'] } : {}),
    };
    const run = await runProcess({ command: bun, args: ['run', AGENT, dataDir], cwd: ROOT, env, timeoutMs: 600_000, maxOutputBytes: 8_000_000 });
    stderr = run.stderr;
    steps = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{"step"'))
      .map((line) => JSON.parse(line) as Step);
  }, 660_000);

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(bunDir, { recursive: true, force: true });
  });

  const step = (name: string): Step | undefined => steps.find((s) => s.step === name);

  it('really runs on bun, with plugin-sql on PGLite and plugin-dynamic started', () => {
    expect(step('runtime')?.['bun'], stderr.slice(-2_000)).toMatch(/^\d+\.\d+/);
    expect(step('runtime')?.['execPath']).toBe(join(bunDir, 'bun'));
    expect(step('started')?.['capabilities']).toMatchObject({
      sandbox: 'bwrap',
      effectiveGenerator: 'template',
      runtime: {
        agent: expect.stringMatching(/^bun \d+\.\d+\.\d+$/),
        children: expect.stringMatching(/^node \d+\.\d+\.\d+ at \/\S+ \(found on PATH\)$/),
        childrenOk: true,
      },
    });
  });

  it('installs @elizaos/plugin-bootstrap with the real npm client inside the sandbox', () => {
    expect(step('install'), stderr.slice(-2_000)).toMatchObject({ ok: true, packageName: '@elizaos/plugin-bootstrap' });
  });

  it('creates a plugin with the template generator: checker, tsc, eslint, vitest and import check on Node', () => {
    expect(step('create'), stderr.slice(-2_000)).toMatchObject({ ok: true, status: 'succeeded', packageName: 'plugin-notes' });
  });
});
