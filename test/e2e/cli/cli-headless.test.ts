import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import type { PluginView } from '../../../src/management/plugin-view.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { settledProcessesIn } from '../../helpers/processes.js';
import { cliArgv, envelope, ROOT, runCli, SECRET_FIXTURE, STACK_LINE, type CliResult } from './cli-process.js';

/*
 * The CLI as a person runs it: a real child process, its own headless runtime on PGLite in a temp
 * data folder, the registry served from fixtures on 127.0.0.1, the real toolchain for creation.
 */
describe('plugin-dynamic headless', () => {
  let registry: FixtureServer;
  let dataDir: string;
  let env: Record<string, string>;
  const cli = (args: string[], input?: string): Promise<CliResult> =>
    runCli(['--data-dir', dataDir, ...args], { env, ...(input === undefined ? {} : { input }) });

  beforeAll(async () => {
    registry = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-cli-headless-'));
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

  it('runs the main job on a fresh machine: the README command creates the example, loads it and prints an action answer', async () => {
    // A fresh folder and no --data-dir: the data goes to ./.eliza/plugin-dynamic there, and
    // examples/notes.json is found in the package because the folder has no examples/.
    const fresh = await mkdtemp(join(tmpdir(), 'pd-cli-fresh-'));
    try {
      const { code, stdout, stderr } = await runCli(['create', 'examples/notes.json', '--run-action'], {
        env: { ...env, HOME: fresh },
        cwd: fresh,
      });
      expect(code, stderr).toBe(0);
      expect(stderr).toContain('Creating plugin-notes');
      expect(stderr).toMatch(/^\[\s*\d+%\] iteration 1\/5 · build$/m);
      expect(stderr).toMatch(/^ {2}build passed$/m);
      expect(stderr).toMatch(/^ {2}lint passed$/m);
      expect(stderr).toMatch(/^ {2}\d+\/\d+ tests passed$/m);
      expect(stdout).toMatch(/^plugin-notes: succeeded after 1 iteration \(job [0-9a-f]{8}, template generator\)$/m);
      expect(stdout).toMatch(/^Tests: +(\d+)\/\1 passed$/m);
      expect(stdout).toMatch(/^Validation: +passed/m);
      expect(stdout).toMatch(/^Plugin: +plugin-notes is active$/m);
      expect(stdout).toContain(`Installed:   ${join(fresh, '.eliza', 'plugin-dynamic', 'plugins', 'plugin-notes')}`);
      expect(stdout).toMatch(/^Action: +ADD_NOTE$/m);
      expect(stdout).toMatch(/^Working: +ADD_NOTE \(records\), LIST_NOTES \(records\), REMOVE_NOTE \(records\)/m);
      expect(stdout).toMatch(/^Answer: +Saved note #1 example text\. 1 note now\.$/m);

      // The README's first command, run a second time in the same folder: the same answer, replacing
      // what the first run made, said in one line.
      const first = /^plugin-notes: succeeded after 1 iteration \(job ([0-9a-f]{8})/m.exec(stdout)?.[1];
      const again = await runCli(['create', 'examples/notes.json', '--run-action'], { env: { ...env, HOME: fresh }, cwd: fresh });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain(`Same specification as job ${first}: replacing the plugin-notes it made (kept until the new one loads).`);
      expect(again.stdout).toMatch(/^Plugin: +plugin-notes is active$/m);
      expect(again.stdout).toMatch(/^Answer: +Saved note #\d+ example text\. \d+ notes? now\.$/m);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('searches the registry, as JSON for scripts and as a table for people', async () => {
    const json = await cli(['--json', 'search', 'openai', '--limit', '3']);
    expect(json.code).toBe(0);
    const answer = envelope<{ hits: { entry: { name: string } }[] }>(json.stdout);
    expect(answer.success && answer.data.hits[0]?.entry.name).toBe('@elizaos/plugin-openai');
    const human = await cli(['search', 'openai', '--limit', '3']);
    expect(human.stdout.split('\n')[0]).toMatch(/^PLUGIN\s+1\.X\s+DESCRIPTION$/);
    expect(human.stdout).toMatch(/^@elizaos\/plugin-openai\s+yes\s+/m);
  });

  it('refuses a bad plugin name in one line with its code and a hint, exit 1, and no stack trace', async () => {
    const { code, stdout, stderr } = await cli(['install', 'plugin-x; rm -rf ~']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error INVALID_PLUGIN_NAME: \S/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {2}Use an npm package name/);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('shows the stack only with --verbose, and prints the error envelope on stdout with --json', async () => {
    const verbose = await cli(['--verbose', 'info', 'no-such-plugin-anywhere']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^error PLUGIN_NOT_FOUND: /m);
    expect(verbose.stderr).toMatch(STACK_LINE);
    const json = await cli(['--json', 'info', 'no-such-plugin-anywhere']);
    expect(json.code).toBe(1);
    const answer = envelope(json.stdout);
    expect(answer.success).toBe(false);
    expect(!answer.success && answer.error.code).toBe('PLUGIN_NOT_FOUND');
    expect(!answer.success && answer.error.hint.length).toBeGreaterThan(10);
  });

  it('reports usage mistakes as INVALID_INPUT before any runtime starts', async () => {
    const unknown = await cli(['search', '--limit', '500', 'x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^error INVALID_INPUT: option '--limit <n>' argument '500' is invalid/);
    const noWait = await cli(['create', 'examples/notes.json', '--no-wait']);
    expect(noWait.stderr.split('\n')[0]).toBe(
      'error INVALID_INPUT: --no-wait needs --agent-url: the headless runtime stops when the command ends, and its job with it.',
    );
    const both = await cli(['create', 'examples/notes.json', '--describe', 'a plugin that keeps notes']);
    expect(both.stderr.split('\n')[0]).toMatch(/^error INVALID_INPUT: Give a specification file or --describe/);
    const secret = await cli(['configure', 'plugin-secret-echo', '--secret', 'SECRET_ECHO_TOKEN']);
    expect(secret.stderr.split('\n')[0]).toMatch(/^error INVALID_INPUT: --secret SECRET_ECHO_TOKEN asks on a terminal/);
    const missing = await cli(['create', 'examples/no-such-spec.json']);
    expect(missing.stderr.split('\n')[0]).toMatch(/^error INVALID_SPEC: Cannot read .*no-such-spec\.json \(ENOENT\)\.$/);
    // --run-action NAME is checked against the specification before a runtime starts or a job is queued.
    const noAction = await cli(['create', 'examples/notes.json', '--run-action', 'CONVERT_UNITS']);
    expect(noAction.code).toBe(1);
    expect(noAction.stderr.split('\n')[0]).toBe('error INVALID_INPUT: The plugin has no action CONVERT_UNITS to run (actions: ADD_NOTE, LIST_NOTES, REMOVE_NOTE).');
    expect(noAction.stderr).not.toContain('Creating plugin-notes');
  });

  it('installs a local plugin, stores its secret from stdin and from a file without printing it, then activates, deactivates and uninstalls it', async () => {
    const installed = await cli(['install', SECRET_FIXTURE]);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout.trim()).toBe('Installed plugin-secret-echo@1.0.0: needs_configuration, needs SECRET_ECHO_TOKEN (trust: user-source, not signed (local source))');

    const fromStdin = await cli(['configure', 'plugin-secret-echo', '--stdin', 'SECRET_ECHO_TOKEN'], 'stdin-secret-value-1\n');
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stdout.trim()).toBe('Stored SECRET_ECHO_TOKEN for plugin-secret-echo@1.0.0: installed');
    const secretFile = join(dataDir, 'token.txt');
    await writeFile(secretFile, 'file-secret-value-2\n');
    const fromFile = await cli(['--json', 'configure', 'plugin-secret-echo', '--from-file', `SECRET_ECHO_TOKEN=${secretFile}`]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const view = envelope<PluginView>(fromFile.stdout);
    expect(view.success && view.data.settings).toEqual([expect.objectContaining({ name: 'SECRET_ECHO_TOKEN', set: true, sensitive: true })]);
    for (const out of [fromStdin, fromFile]) expect(out.stdout + out.stderr).not.toMatch(/secret-value/);

    // An isolated plugin asks first; a script approves with --yes (test/e2e/cli/cli-approval.test.ts covers the rest).
    expect((await cli(['activate', 'plugin-secret-echo', '--yes'])).stdout.trim()).toBe('plugin-secret-echo@1.0.0: active');
    const list = await cli(['list']);
    expect(list.stdout).toMatch(/^plugin-secret-echo\s+1\.0\.0\s+active\s+user-source\s+not signed\s+isolated$/m);
    expect((await cli(['deactivate', 'plugin-secret-echo'])).stdout.trim()).toBe('plugin-secret-echo@1.0.0: inactive');
    expect((await cli(['uninstall', 'plugin-secret-echo'])).stdout.trim()).toBe('Uninstalled plugin-secret-echo.');
    const after = envelope<PluginView[]>((await cli(['--json', 'list'])).stdout);
    expect(after.success && after.data.map((p) => p.packageName)).not.toContain('plugin-secret-echo');
  });

  it('cancels a creation on Ctrl-C, records it as cancelled, and lists it with jobs and status', async () => {
    const child = spawn(process.execPath, cliArgv(['--data-dir', dataDir, 'create', 'examples/notes.json', '--replace']), {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Interrupt once the job really runs (its first phase line).
        if (/iteration 1\/5 · /.test(stderr)) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toBe('');
    const id = /Creating plugin-notes \(job ([0-9a-f]{8})/.exec(stderr)?.[1] ?? '';
    expect(stderr).toContain(`Cancelled job ${id}.`);

    const jobs = envelope<JobRecord[]>((await cli(['--json', 'jobs'])).stdout);
    const job = jobs.success ? jobs.data.find((j) => j.id.startsWith(id)) : undefined;
    expect(job?.status).toBe('cancelled');
    expect(job?.error?.code).toBe('JOB_CANCELLED');
    const status = await cli(['status', id]);
    expect(status.stdout).toMatch(new RegExp(`^plugin-notes: cancelled .*\\(job ${id}, template generator\\)$`, 'm'));
    expect(status.stdout).toMatch(/^Log:$/m);
    const again = await cli(['cancel', id]);
    expect(again.code).toBe(1);
    expect(again.stderr.split('\n')[0]).toMatch(/^error ILLEGAL_TRANSITION: Job .* is cancelled already/);
  });

  it('killed with SIGKILL in the middle of a job: no process of it survives, the job is failed: interrupted with its workspace kept, nothing else is lost', async () => {
    const before = envelope<PluginView[]>((await cli(['--json', 'list'])).stdout);
    const child = spawn(process.execPath, cliArgv(['--data-dir', dataDir, 'create', 'examples/notes.json', '--replace']), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/iteration 1\/5 · (build|lint|test)/.test(stderr)) resolve();
      });
    });
    // Only the CLI's own process is killed, as a crash or the OOM killer would: nothing runs its cleanup.
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const id = /Creating plugin-notes \(job ([0-9a-f]{8})/.exec(stderr)?.[1] ?? '';
    const workspaces = join(dataDir, 'workspaces');
    // The sandboxed tools die with their parent (bubblewrap's --die-with-parent, a PID namespace).
    expect(await settledProcessesIn(workspaces)).toEqual([]);

    // The next command takes over the dead process's lock and finds the job interrupted.
    const jobs = envelope<JobRecord[]>((await cli(['--json', 'jobs'])).stdout);
    const job = jobs.success ? jobs.data.find((j) => j.id.startsWith(id)) : undefined;
    expect(job?.status).toBe('failed');
    expect(job?.error).toMatchObject({ code: 'JOB_INTERRUPTED', message: expect.stringContaining('interrupted') });
    expect(job?.log.at(-1)?.message).toContain('workspace kept');
    expect(existsSync(job?.workspaceDir ?? '/nonexistent')).toBe(true);
    // Installed plugins and the other jobs are as they were.
    expect(envelope<PluginView[]>((await cli(['--json', 'list'])).stdout)).toEqual(before);
    expect(jobs.success && jobs.data.filter((j) => j.status === 'cancelled').length).toBeGreaterThan(0);
  });

  it('checks Node, the data folder, the toolchain, the runtime, the Node its children run on, the registry, the model and the sandbox', async () => {
    const { code, stdout } = await cli(['--json', 'doctor']);
    const answer = envelope<{ check: string; status: string }[]>(stdout);
    const checks = answer.success ? answer.data : [];
    expect(checks.map((c) => c.check)).toEqual(['node', 'data folder', 'toolchain', 'runtime', 'agent runtime', 'registry', 'model', 'sandbox']);
    const status = Object.fromEntries(checks.map((c) => [c.check, c.status]));
    expect(status).toMatchObject({ node: 'ok', 'data folder': 'ok', toolchain: 'ok', runtime: 'ok', 'agent runtime': 'ok', registry: 'ok', model: 'warn' });
    // npm run build made the checker's startup snapshot for this Node and this TypeScript.
    expect(checks.find((c) => c.check === 'toolchain')).toMatchObject({ detail: expect.stringMatching(/; the checker starts from its startup snapshot$/) });
    // The headless runtime is this Node process; its children run on the same Node.
    expect(checks.find((c) => c.check === 'agent runtime')).toMatchObject({
      detail: expect.stringMatching(/^agent on node \d+\.\d+\.\d+; child processes .* on node \d+\.\d+\.\d+ at \/\S+ \(the agent itself\)$/),
    });
    // bubblewrap, and a control group per job bounding memory and processes (CI runs as root).
    expect(checks.find((c) => c.check === 'sandbox')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/bubblewrap at .*; per job: cgroup-v[12]: 2048 MB memory and 512 processes per job$/),
    });
    expect(code).toBe(checks.some((c) => c.status === 'fail') ? 1 : 0);
    const human = await cli(['doctor']);
    expect(human.stdout).toMatch(/^warn {2}model +none registered: chat messages get no answer \(bootstrap replies through TEXT_LARGE\); the CLI, the HTTP API, the web panel and the TypeScript API work without one, and the template generator writes plugins offline\n\s+→ To chat with the agent or write plugins with a model/m);
  });

  it('refuses to open a data folder another live process holds, and takes over a lock its dead owner left', async () => {
    const lock = join(dataDir, 'cli.lock');
    await writeFile(lock, String(process.pid));
    const busy = await cli(['list']);
    expect(busy.code).toBe(1);
    expect(busy.stderr.split('\n')[0]).toBe(`error DATA_DIR_BUSY: Process ${process.pid} is using ${dataDir}.`);

    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    await writeFile(lock, String(gone.pid));
    const taken = await cli(['list']);
    expect(taken.code, taken.stderr).toBe(0);
    await expect(readFile(lock, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
