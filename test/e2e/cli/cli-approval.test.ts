import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginView } from '../../../src/management/plugin-view.js';
import { runProcess } from '../../../src/shared/process-runner.js';
import { cliArgv, envelope, runCli, type CliResult } from './cli-process.js';

/** A folder plugin (isolated by default) that declares a host and a model budget. */
async function pluginFolder(root: string, name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'dist/index.js', agentConfig: { permissions: { network: ['api.weather.test'], modelCallsPerHour: 20 } } }),
  );
  await writeFile(join(dir, 'dist', 'index.js'), `export default { name: '${name}', description: 'approval fixture', actions: [] };\n`);
  return dir;
}

/*
 * The CLI's consent prompt as a person and a script meet it: a real child process with its headless
 * runtime. Without a terminal and without --yes it refuses, saying how to approve; --yes approves;
 * on a terminal (a pseudo-terminal from util-linux `script`) it asks "Allow? [y/N]".
 */
describe('plugin-dynamic asks before an isolated plugin runs', () => {
  let dataDir: string;
  let sources: string;
  let env: Record<string, string>;
  // Run from the sources' folder: a folder install must come from inside the working folder.
  const cli = (args: string[]): Promise<CliResult> => runCli(['--data-dir', dataDir, ...args], { env, cwd: sources });
  /** The same command on a pseudo-terminal, answering `answer` at the prompt. */
  const onTerminal = async (args: string[], answer: string): Promise<CliResult> => {
    const command = [process.execPath, ...cliArgv(['--data-dir', dataDir, ...args])].join(' ');
    const result = await runProcess({ command: 'script', args: ['-qec', command, '/dev/null'], cwd: sources, env, input: answer, timeoutMs: 240_000, maxOutputBytes: 1_000_000 });
    return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-cli-approval-'));
    sources = await mkdtemp(join(tmpdir(), 'pd-cli-approval-src-'));
    env = { PATH: process.env['PATH'] ?? '', HOME: dataDir, TERM: 'dumb' };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(sources, { recursive: true, force: true });
  });

  it('without a terminal and without --yes: refused, the request shown, nothing running', async () => {
    const folder = await pluginFolder(sources, 'plugin-weather-consent');
    const refused = await cli(['install', folder]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('plugin-weather-consent@1.0.0 asks to run isolated with:\n  - reach api.weather.test\n  - up to 20 model calls an hour\n');
    const errorLine = refused.stderr.split('\n').find((l) => l.startsWith('error '));
    expect(errorLine).toMatch(/^error APPROVAL_REQUIRED: plugin-weather-consent@1\.0\.0 needs your approval before it runs isolated\. It asks for: reach api\.weather\.test; up to 20 model calls an hour;/);
    expect(errorLine).toContain('There is no terminal to ask on: pass --yes to approve it from a script.');
    expect(refused.stderr).toContain('Answer y at the "Allow? [y/N]" prompt on a terminal, pass --yes in a script');
    const list = envelope<PluginView[]>((await cli(['--json', 'list'])).stdout);
    expect(list.success && list.data.find((p) => p.packageName === 'plugin-weather-consent')).toMatchObject({ status: 'installed', isolation: 'isolated' });
  });

  it('--yes approves through the approve operation and activates; the approval is stored with the cli channel', async () => {
    const approved = await cli(['activate', 'plugin-weather-consent', '--yes']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout.trim()).toBe('plugin-weather-consent@1.0.0: active');
    expect(approved.stderr).toContain('asks to run isolated with:');
    const state = await cli(['approve', 'plugin-weather-consent']);
    expect(state.code, state.stderr).toBe(0);
    expect(state.stdout.trim()).toMatch(/^plugin-weather-consent@1\.0\.0 is approved already \(cli by \S+, \d{4}-\d\d-\d\dT/);
  });

  it('on a terminal: asks "Allow? [y/N]"; n leaves it, y approves and activates', async () => {
    const folder = await pluginFolder(sources, 'plugin-prompted');
    expect((await cli(['install', folder, '--no-activate'])).code).toBe(0);
    const no = await onTerminal(['activate', 'plugin-prompted'], 'n\n');
    expect(no.stdout).toContain('plugin-prompted@1.0.0 asks to run isolated with:');
    expect(no.stdout).toContain('Allow? [y/N]');
    expect(no.stdout).toContain('error APPROVAL_REQUIRED');
    expect(no.code).toBe(1);
    const yes = await onTerminal(['activate', 'plugin-prompted'], 'y\n');
    expect(yes.stdout).toContain('Allow? [y/N]');
    expect(yes.stdout).toMatch(/plugin-prompted@1\.0\.0: active/);
    expect(yes.code).toBe(0);
  });
});
