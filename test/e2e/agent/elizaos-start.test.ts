import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../../src/shared/process-runner.js';
import { installElizaosCli } from '../../helpers/elizaos-cli.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { freePort } from '../../helpers/agent-server.js';
import { envelope, ROOT, runCli } from '../cli/cli-process.js';

const TOKEN = 'elizaos-start-token-0123456789';

/** Resolves once `url` answers 200, or rejects when the process ends first. */
async function answering(url: string, child: ChildProcess, log: () => string): Promise<void> {
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`elizaos start ended before the agent answered:\n${log().slice(-4_000)}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/*
 * Issue 19: the README's agent, examples/agent/, run as a user runs it: the real @elizaos/cli 1.7.2
 * `elizaos start` (bun) in a copy of the folder, with its packages linked in as `npm install` would
 * put them; then driven with plugin-dynamic's CLI.
 */
describe('examples/agent under the real `elizaos start`', () => {
  let registry: FixtureServer;
  let project: string;
  let child: ChildProcess;
  let output = '';
  let url: string;
  let agentId: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // The project imports the package as npm gives it: its built dist/, built here from this source.
    const build = await runProcess({ command: 'npm', args: ['run', 'build'], cwd: ROOT, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? ROOT }, timeoutMs: 600_000, maxOutputBytes: 4_000_000 });
    expect(build.exitCode, build.stdout + build.stderr).toBe(0);
    const cli = await installElizaosCli();
    registry = await startFixtureServer();
    project = await mkdtemp(join(tmpdir(), 'pd-example-agent-'));
    await cp(join(ROOT, 'examples', 'agent'), project, { recursive: true });
    const scope = join(project, 'node_modules', '@elizaos');
    await mkdir(scope, { recursive: true });
    await symlink(ROOT, join(scope, 'plugin-dynamic'));
    for (const name of ['core', 'plugin-sql']) await symlink(join(ROOT, 'node_modules', '@elizaos', name), join(scope, name));
    await symlink(join(cli.modules, '@elizaos', 'plugin-bootstrap'), join(scope, 'plugin-bootstrap'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      PATH: `${cli.bunDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      HOME: project,
      PLUGIN_DYNAMIC_REGISTRY_URL: `${registry.url}/registry/generated-registry.json`,
      PLUGIN_DYNAMIC_GENERATOR: 'template',
    };
    child = spawn(cli.bin, ['start', '--port', String(port)], {
      cwd: project,
      env: { ...env, SERVER_HOST: '127.0.0.1', LOG_LEVEL: 'info', PLUGIN_DYNAMIC_API_TOKEN: TOKEN, ELIZA_TELEMETRY_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await answering(`${url}/api/agents`, child, () => output);
    for (;;) {
      const list = (await (await fetch(`${url}/api/agents`)).json()) as { data?: { agents?: { id: string; status?: string }[] } };
      const agent = list.data?.agents?.find((a) => a.status === 'active') ?? list.data?.agents?.[0];
      if (agent) {
        agentId = agent.id;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await answering(`${url}/api/agents/${agentId}/plugins/plugin-dynamic/plugins`, child, () => output);
  }, 600_000);

  afterAll(async () => {
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
    }
    await registry?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('starts the agent the default export names, with plugin-dynamic in it', async () => {
    const list = (await (await fetch(`${url}/api/agents`)).json()) as { data: { agents: { id: string; name: string }[] } };
    expect(list.data.agents.map((a) => a.name)).toEqual(['Builder']);
  });

  it('is driven by the CLI with --agent-url: list, and create with --run-action answering through the agent', async () => {
    const listed = await runCli(['--agent-url', url, '--json', 'list'], { env, cwd: project });
    expect(listed.code, listed.stderr).toBe(0);
    expect(envelope(listed.stdout)).toEqual({ success: true, data: [] });
    const created = await runCli(['--agent-url', url, 'create', 'examples/notes.json', '--run-action'], { env: { ...env, PLUGIN_DYNAMIC_API_TOKEN: TOKEN }, cwd: project });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Plugin: +plugin-notes is active$/m);
    expect(created.stdout).toMatch(/^Answer: +Saved note #1 example text\. 1 note now\.$/m);
    const ran = await runCli(['--agent-url', url, 'run', 'LIST_NOTES'], { env: { ...env, PLUGIN_DYNAMIC_API_TOKEN: TOKEN }, cwd: project });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^Answer: +[\s\S]*example text/m);
  }, 400_000);

  it("holds its data folder: the headless CLI in the project folder refuses it, naming the agent's --agent-url", async () => {
    const lock = JSON.parse(await readFile(join(project, '.eliza', 'plugin-dynamic', 'agent.lock'), 'utf8')) as { serverUrl: string; agentId: string };
    expect(lock).toMatchObject({ serverUrl: url, agentId });
    const busy = await runCli(['list'], { env, cwd: project });
    expect(busy.code).toBe(1);
    expect(busy.stderr.split('\n')[0]).toMatch(
      new RegExp(`^error DATA_DIR_BUSY: The running agent ${agentId} \\(process \\d+; drive it with --agent-url ${url.replace(/\./g, '\\.')}\\) is using ${join(project, '.eliza', 'plugin-dynamic').replace(/\./g, '\\.')}\\.$`),
    );
  });
});
