import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { envelope, runCli, SECRET_FIXTURE, STACK_LINE, type CliResult } from './cli-process.js';

const TOKEN = 'cli-agent-test-token-0123456789';

/** What legitimately differs between two runs: job ids, folders, clock times, durations. */
function normalise(text: string): string {
  return text
    .replace(/\b[0-9a-f]{8}\b/g, '<id>')
    .replace(/^(Installed: +).*$/gm, '$1<dir>')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, '<time>')
    .replace(/^ {2}\d\d:\d\d:\d\d /gm, '  <time> ')
    .replace(/^(Time: +).*$/gm, '$1<durations>')
    .replace(/^(Phases: +).*$/gm, '$1<durations>');
}

/*
 * The same commands against a running agent (--agent-url, through the plugin's HTTP routes in the
 * real @elizaos/server 1.7.2) and headless: the same output either way.
 */
describe('plugin-dynamic --agent-url', () => {
  let registry: FixtureServer;
  let server: RealAgentServer;
  let headlessDir: string;
  let env: Record<string, string>;

  const headless = (args: string[], input?: string): Promise<CliResult> =>
    runCli(['--data-dir', headlessDir, ...args], { env, ...(input === undefined ? {} : { input }) });
  const agent = (args: string[], input?: string): Promise<CliResult> =>
    runCli(['--agent-url', server.pluginUrl, ...args], { env: { ...env, PLUGIN_DYNAMIC_API_TOKEN: TOKEN }, ...(input === undefined ? {} : { input }) });
  /** Runs a command both ways and checks they printed the same (after normalising ids and folders). */
  const both = async (args: string[], input?: string): Promise<CliResult> => {
    const [local, remote] = [await headless(args, input), await agent(args, input)];
    expect({ code: remote.code, stdout: normalise(remote.stdout) }).toEqual({ code: local.code, stdout: normalise(local.stdout) });
    expect(normalise(remote.stderr.split('\n')[0] ?? '')).toBe(normalise(local.stderr.split('\n')[0] ?? ''));
    return remote;
  };

  beforeAll(async () => {
    registry = await startFixtureServer();
    headlessDir = await mkdtemp(join(tmpdir(), 'pd-cli-agent-'));
    const registryUrl = `${registry.url}/registry/generated-registry.json`;
    env = { PATH: process.env['PATH'] ?? '', HOME: headlessDir, PLUGIN_DYNAMIC_REGISTRY_URL: registryUrl, PLUGIN_DYNAMIC_GENERATOR: 'template' };
    server = await startRealAgentServer({
      settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN, PLUGIN_DYNAMIC_GENERATOR: 'template', PLUGIN_DYNAMIC_REGISTRY_URL: registryUrl },
    });
  });
  afterAll(async () => {
    await server?.close();
    await registry?.close();
    await rm(headlessDir, { recursive: true, force: true });
  });

  it('searches with the same table, and the same hits as JSON', async () => {
    const human = await both(['search', 'openai', '--limit', '3']);
    expect(human.stdout).toMatch(/^@elizaos\/plugin-openai\s+yes\s+/m);
    const hits = (out: CliResult) => {
      const answer = envelope<{ hits: unknown[] }>(out.stdout);
      return answer.success ? answer.data.hits : [];
    };
    const [local, remote] = [await headless(['--json', 'search', 'discord']), await agent(['--json', 'search', 'discord'])];
    expect(hits(remote)).toEqual(hits(local));
    expect(hits(remote).length).toBeGreaterThan(0);
  }, 400_000);

  it('installs, configures from stdin, activates, lists, deactivates and uninstalls with the same lines', async () => {
    expect((await both(['install', SECRET_FIXTURE])).stdout.trim()).toBe(
      'Installed plugin-secret-echo@1.0.0: needs_configuration, needs SECRET_ECHO_TOKEN (trust: user-source, not signed (local source))',
    );
    const configured = await both(['configure', 'plugin-secret-echo', '--stdin', 'SECRET_ECHO_TOKEN'], 'agent-secret-value\n');
    expect(configured.stdout.trim()).toBe('Stored SECRET_ECHO_TOKEN for plugin-secret-echo@1.0.0: installed');
    expect(configured.stdout + configured.stderr).not.toContain('agent-secret-value');
    // An isolated plugin asks first; --yes approves it through the agent's approve route.
    expect((await both(['activate', 'plugin-secret-echo', '--yes'])).stdout.trim()).toBe('plugin-secret-echo@1.0.0: active');
    expect((await both(['list'])).stdout).toMatch(/^plugin-secret-echo\s+1\.0\.0\s+active\s+user-source\s+not signed\s+isolated$/m);
    expect((await both(['deactivate', 'plugin-secret-echo'])).stdout.trim()).toBe('plugin-secret-echo@1.0.0: inactive');
    expect((await both(['uninstall', 'plugin-secret-echo'])).stdout.trim()).toBe('Uninstalled plugin-secret-echo.');
  }, 400_000);

  it('prints the same one-line errors with their codes', async () => {
    const bad = await both(['install', 'plugin-x; rm -rf ~']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')[0]).toMatch(/^error INVALID_PLUGIN_NAME: /);
    expect(bad.stderr).not.toMatch(STACK_LINE);
    const missing = await both(['activate', 'plugin-never-installed']);
    expect(missing.stderr.split('\n')[0]).toMatch(/^error NOT_INSTALLED: /);
  }, 400_000);

  it('creates the example plugin through the routes, shows its progress from polling, and sums it up like headless', async () => {
    const [local, remote] = [await headless(['create', 'examples/notes.json']), await agent(['create', 'examples/notes.json'])];
    expect(remote.code, remote.stderr).toBe(0);
    expect(normalise(remote.stdout)).toBe(normalise(local.stdout));
    expect(remote.stdout).toMatch(/^Plugin: +plugin-notes is active$/m);
    expect(remote.stderr).toMatch(/^\[\s*\d+%\] iteration 1\/5 · \w+$/m);
    expect(remote.stderr).toMatch(/^ {2}build passed$/m);
    expect(remote.stderr).toMatch(/^ {2}Succeeded in iteration 1: plugin-notes is active\.$/m);
    const id = /\(job ([0-9a-f]{8})/.exec(remote.stdout)?.[1] ?? '';
    expect((await agent(['status', id])).stdout).toMatch(/^plugin-notes: succeeded after 1 iteration/m);
    const jobs = envelope<JobRecord[]>((await agent(['--json', 'jobs'])).stdout);
    expect(jobs.success && jobs.data.map((j) => [j.id.slice(0, 8), j.status])).toContainEqual([id, 'succeeded']);
    expect(normalise((await agent(['jobs'])).stdout)).toBe(normalise((await headless(['jobs'])).stdout));
  }, 400_000);

  it('queues a job with --no-wait, follows it with status --watch, and cancels another', async () => {
    // plugin-notes exists from the test before: a new job for it must say it replaces it.
    const queued = await agent(['--json', 'create', 'examples/notes.json', '--no-wait', '--replace']);
    const first = envelope<{ job: JobRecord }>(queued.stdout);
    const id = first.success ? first.data.job.id : '';
    expect(['queued', 'running']).toContain(first.success && first.data.job.status);
    const watched = await agent(['status', id.slice(0, 8), '--watch']);
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toMatch(/^plugin-notes: succeeded after 1 iteration/m);
    expect(watched.stderr).toMatch(/^ {2}Succeeded in iteration 1/m);

    const second = envelope<{ job: JobRecord }>((await agent(['--json', 'create', 'examples/notes.json', '--no-wait', '--replace'])).stdout);
    const other = second.success ? second.data.job.id.slice(0, 8) : '';
    const cancelled = await agent(['cancel', other]);
    expect(cancelled.stdout.trim()).toBe(`Job ${other} (plugin-notes) is cancelled.`);
  }, 400_000);

  it('refuses changes without the token; tries a plugin without a model: run ACTION and create --run-action, through the agent as headless', async () => {
    const refused = await runCli(['--agent-url', server.pluginUrl, 'uninstall', 'plugin-notes'], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')[0]).toMatch(/^error UNAUTHORIZED: /);
    const noToken = await runCli(['--agent-url', server.pluginUrl, 'run', 'ADD_NOTE', 'buy milk'], { env });
    expect(noToken.stderr.split('\n')[0]).toMatch(/^error UNAUTHORIZED: /);

    // The same answer the action gives, through the agent's route and in a headless runtime.
    const message = JSON.stringify({ text: 'buy milk' });
    const [local, remote] = [await headless(['run', 'ADD_NOTE', message]), await agent(['run', 'ADD_NOTE', message])];
    for (const out of [local, remote]) {
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/^Plugin: +plugin-notes$/m);
      expect(out.stdout).toMatch(/^Action: +ADD_NOTE$/m);
      expect(out.stdout).toMatch(/^Answer: +Saved note #\d+ buy milk\. \d+ notes? now\.$/m);
    }
    const unknown = await agent(['run', 'CONVERT_UNITS', '5 km']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^error INVALID_INPUT: The action CONVERT_UNITS is not an action of an installed plugin \(actions: ADD_NOTE \(plugin-notes\), /);

    // create --run-action against the agent: the same specification again replaces its own result, then answers.
    const runAction = await agent(['create', 'examples/notes.json', '--run-action']);
    expect(runAction.code, runAction.stderr).toBe(0);
    expect(runAction.stderr).toMatch(/^Same specification as job [0-9a-f]{8}: replacing the plugin-notes it made/m);
    expect(runAction.stdout).toMatch(/^Answer: +Saved note #\d+ example text\. \d+ notes? now\.$/m);
  }, 400_000);

  it('accepts the agent address without the plugin path, and names an unreachable agent', async () => {
    const viaAgent = await runCli(['--agent-url', `${server.url}/api/agents/${server.agentId}`, '--json', 'list'], { env });
    const plugins = envelope<{ packageName: string }[]>(viaAgent.stdout);
    expect(plugins.success && plugins.data.map((p) => p.packageName)).toContain('plugin-notes');
    const down = await runCli(['--agent-url', 'http://127.0.0.1:9/api/agents/nobody', 'list'], { env });
    expect(down.code).toBe(1);
    expect(down.stderr.split('\n')[0]).toMatch(/^error AGENT_UNREACHABLE: Could not reach the agent at http:\/\/127\.0\.0\.1:9\/api\/agents\/nobody\/plugins\/plugin-dynamic/);
  });

  it('runs doctor against the agent with the same checks, skipping what only its machine can check', async () => {
    const answer = envelope<{ check: string; status: string }[]>((await agent(['--json', 'doctor'])).stdout);
    const checks = answer.success ? answer.data : [];
    expect(checks.map((c) => c.check)).toEqual(['node', 'data folder', 'toolchain', 'runtime', 'agent runtime', 'registry', 'model', 'sandbox']);
    expect(Object.fromEntries(checks.map((c) => [c.check, c.status]))).toEqual({
      node: 'ok',
      'data folder': 'skip',
      // The agent has run creation jobs in this file, so it reports its toolchain.
      toolchain: 'ok',
      runtime: 'ok',
      // The agent reports its own runtime and the Node its children run on.
      'agent runtime': 'ok',
      registry: 'ok',
      model: 'warn',
      sandbox: 'skip',
    });
  });
});
