import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { envelope, runCli, SECRET_FIXTURE, type CliResult } from './cli-process.js';

/*
 * list, jobs and status answer from the snapshot the last headless runtime wrote when it stopped
 * (src/cli/fast): the same output, byte for byte, as the same command starting the runtime
 * (PLUGIN_DYNAMIC_CLI_READS=runtime, what every command did before), the same refusals while
 * another process holds the folder, and no runtime started (the snapshot is rewritten by every
 * runtime that closes, so an unchanged snapshot means none ran).
 */
describe('plugin-dynamic reads without a runtime', () => {
  let registry: FixtureServer;
  let dataDir: string;
  let env: Record<string, string>;
  const snapshotFile = (): string => join(dataDir, 'cli-state', 'closed.json');
  const cli = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> => runCli(['--data-dir', dataDir, ...args], { env: { ...env, ...extra } });
  const closedAt = async (): Promise<string> => (JSON.parse(await readFile(snapshotFile(), 'utf8')) as { closedAt: string }).closedAt;

  beforeAll(async () => {
    registry = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-cli-fast-'));
    env = {
      PATH: process.env['PATH'] ?? '',
      HOME: dataDir,
      PLUGIN_DYNAMIC_REGISTRY_URL: `${registry.url}/registry/generated-registry.json`,
      PLUGIN_DYNAMIC_GENERATOR: 'template',
    };
  });
  afterAll(async () => {
    await registry?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints what the runtime prints for list, jobs and status, as text and as JSON, without starting one', async () => {
    const installed = await cli(['install', SECRET_FIXTURE]);
    expect(installed.code, installed.stderr).toBe(0);
    const created = await cli(['--json', 'create', 'examples/notes.json']);
    expect(created.code, created.stderr).toBe(0);
    const answer = envelope<{ job: JobRecord }>(created.stdout);
    const id = answer.success ? answer.data.job.id : '';
    expect(id).not.toBe('');

    const reads = [
      ['list'],
      ['--json', 'list'],
      ['jobs'],
      ['--json', 'jobs'],
      ['jobs', '--limit', '1'],
      ['status', id.slice(0, 8)],
      ['--json', 'status', id],
      // Refused the same way: an id no job has, and one too short to be a prefix.
      ['status', 'ffffffff'],
      ['--json', 'status', 'abc'],
    ];
    for (const args of reads) {
      const before = await cli(args, { PLUGIN_DYNAMIC_CLI_READS: 'runtime' });
      const stamp = await closedAt();
      const fast = await cli(args);
      expect({ code: fast.code, stdout: fast.stdout }, args.join(' ')).toEqual({ code: before.code, stdout: before.stdout });
      if (before.code !== 0) expect(fast.stderr.split('\n')[0]).toBe(before.stderr.split('\n')[0]);
      expect(await closedAt(), `${args.join(' ')} started a runtime`).toBe(stamp);
    }
    // What was read is what the runtime holds: the plugins it shows and their status.
    const list = await cli(['list']);
    expect(list.stdout).toMatch(/^plugin-notes\s+0\.1\.0\s+active\s+generated\s.*\bisolated$/m);
    expect(list.stdout).toMatch(/^plugin-secret-echo\s+1\.0\.0\s+needs_configuration\s+user-source\s.*\bisolated\s+SECRET_ECHO_TOKEN$/m);
  }, 900_000);

  it('refuses the folder while another command or an agent holds it, as before, though the snapshot is there', async () => {
    expect(existsSync(snapshotFile())).toBe(true);
    const cliLock = join(dataDir, 'cli.lock');
    await writeFile(cliLock, String(process.pid));
    for (const args of [['list'], ['jobs'], ['status', 'abcdef12']]) {
      const busy = await cli(args);
      expect(busy.code).toBe(1);
      expect(busy.stderr.split('\n')[0]).toBe(`error DATA_DIR_BUSY: Process ${process.pid} is using ${dataDir}.`);
    }
    await rm(cliLock);

    const agentLock = join(dataDir, 'agent.lock');
    await writeFile(agentLock, JSON.stringify({ pid: process.pid, agentId: 'agent-under-test', serverUrl: 'http://127.0.0.1:3918' }));
    try {
      for (const args of [['--json', 'list'], ['--json', 'jobs']]) {
        const busy = await cli(args);
        expect(busy.code).toBe(1);
        const answer = envelope(busy.stdout);
        expect(!answer.success && answer.error.code).toBe('DATA_DIR_BUSY');
        expect(!answer.success && answer.error.message).toContain('drive it with --agent-url http://127.0.0.1:3918');
      }
    } finally {
      await rm(agentLock);
    }
  });

  it('starts the runtime when the snapshot is gone, and a runtime that stops cleanly writes it again', async () => {
    await rm(snapshotFile());
    const list = await cli(['--json', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(existsSync(snapshotFile())).toBe(true);
    const again = await cli(['--json', 'list']);
    expect(again.stdout).toBe(list.stdout);
  });
});
