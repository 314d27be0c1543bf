import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { runCli } from '../../e2e/cli/cli-process.js';

/*
 * One state per data folder (issue 19): an agent running plugin-dynamic holds its data folder, and
 * the headless CLI pointed at it (run in the agent's project folder, or with --data-dir) refuses
 * with DATA_DIR_BUSY naming the --agent-url that drives the agent, instead of opening a second
 * database beside the agent's.
 */
describe('the agent holds its data folder', () => {
  let t: TestRuntime;
  let agentDir: string;
  const previousPort = process.env['SERVER_PORT'];

  beforeAll(async () => {
    process.env['SERVER_PORT'] = '3917';
    t = await createTestRuntime({ plugins: [pluginDynamic] });
    agentDir = join(t.dataDir, 'plugin-dynamic');
  });
  afterAll(async () => {
    if (previousPort === undefined) delete process.env['SERVER_PORT'];
    else process.env['SERVER_PORT'] = previousPort;
    await t?.cleanup();
  });

  it('writes agent.lock with its process, its id and its server address', async () => {
    const lock = JSON.parse(await readFile(join(agentDir, 'agent.lock'), 'utf8')) as Record<string, unknown>;
    expect(lock).toEqual({ pid: process.pid, agentId: t.runtime.agentId, serverUrl: 'http://127.0.0.1:3917' });
  });

  it('refuses the headless CLI on that folder, naming the agent and the --agent-url to use, and opens no database there', async () => {
    const busy = await runCli(['--data-dir', agentDir, 'list'], { env: { PATH: process.env['PATH'] ?? '', HOME: t.dataDir } });
    expect(busy.code).toBe(1);
    expect(busy.stderr.split('\n')[0]).toBe(
      `error DATA_DIR_BUSY: The running agent ${t.runtime.agentId} (process ${process.pid}; drive it with --agent-url http://127.0.0.1:3917) is using ${agentDir}.`,
    );
    expect(busy.stderr.split('\n')[1]).toContain('drive it with the --agent-url named in the message');
    expect(existsSync(join(agentDir, 'db'))).toBe(false);
    expect(existsSync(join(agentDir, 'cli.lock'))).toBe(false);
  });
});
