import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, runCli } from './cli-process.js';

/*
 * Every ElizaOS project folder has a .env file, and @elizaos/core loads it with dotenv, which
 * announces itself. --json must still print nothing but the JSON envelope on stdout.
 */
describe('--json in an ElizaOS project folder', () => {
  let project: string;
  const env = (): Record<string, string> => ({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: project });

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'pd-json-project-'));
    await writeFile(join(project, '.env'), 'SOME_PROJECT_SETTING=1\nLOG_LEVEL=info\n');
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('prints only the JSON envelope on stdout, the notices on stderr', async () => {
    const run = await runCli(['jobs', '--json', '--data-dir', join(project, 'data')], { env: env(), cwd: project });
    expect(run.code, run.stderr).toBe(0);
    // The .env file was really read: dotenv's notice is there, on stderr.
    expect(run.stderr).toMatch(/\.env/);
    expect(envelope(run.stdout)).toMatchObject({ success: true, data: [] });
  });

  it('keeps stdout JSON for a failure too', async () => {
    const run = await runCli(['status', 'no-such-job', '--json', '--data-dir', join(project, 'data')], { env: env(), cwd: project });
    expect(run.code).not.toBe(0);
    expect(envelope(run.stdout)).toMatchObject({ success: false, error: { code: 'JOB_NOT_FOUND' } });
  });
});
