import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginDynamic } from '../../../src/index.js';
import { runProcess } from '../../../src/shared/process-runner.js';
import { startAgentServer } from '../../helpers/agent-server.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..', '..');
const SECRET_FIXTURE = join(ROOT, 'test', 'integration', 'management', 'fixtures', 'plugin-secret-echo');
const TOKEN = 'cli-test-token-0123456789';

describe('the plugin-dynamic CLI as a child process', () => {
  let dataDir: string;
  let registry: Awaited<ReturnType<typeof startFixtureServer>>;
  let env: Record<string, string>;

  const cli = async (...args: string[]) => {
    const result = await runProcess({
      command: process.execPath,
      args: ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args],
      cwd: ROOT,
      env,
      timeoutMs: 180_000,
      maxOutputBytes: 4_000_000,
    });
    return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    registry = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-cli-'));
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

  it('searches the registry with --json', async () => {
    const { code, stdout } = await cli('--data-dir', dataDir, '--json', 'search', 'openai', '--limit', '3');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { success: boolean; data: { hits: { entry: { name: string } }[] } };
    expect(out.data.hits[0]?.entry.name).toBe('@elizaos/plugin-openai');
  });

  it('refuses a bad plugin name in one line with its code, exit 1, and no stack trace', async () => {
    const { code, stderr } = await cli('--data-dir', dataDir, 'install', 'plugin-x; rm -rf ~');
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toMatch(/^error INVALID_PLUGIN_NAME: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('installs a local plugin, configures it from stdin-free NAME=value, activates and uninstalls it', async () => {
    const installed = await cli('--data-dir', dataDir, 'install', SECRET_FIXTURE);
    expect(installed.stdout).toContain('plugin-secret-echo@1.0.0: needs_configuration, needs SECRET_ECHO_TOKEN');
    const configured = await cli('--data-dir', dataDir, 'configure', 'plugin-secret-echo', 'SECRET_ECHO_TOKEN=cli-secret-value');
    expect(configured.code).toBe(0);
    expect(configured.stdout).not.toContain('cli-secret-value');
    expect((await cli('--data-dir', dataDir, 'activate', 'plugin-secret-echo')).stdout).toContain('active');
    expect((await cli('--data-dir', dataDir, 'list')).stdout).toContain('plugin-secret-echo@1.0.0: active');
    expect((await cli('--data-dir', dataDir, 'uninstall', 'plugin-secret-echo')).stdout).toContain('Uninstalled plugin-secret-echo');
  });

  it('runs the main job: creates the example plugin, loads it and prints an action answer', async () => {
    const { code, stdout, stderr } = await cli('--data-dir', dataDir, 'create', 'examples/notes.json', '--run-action');
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('build passed');
    expect(stdout).toContain('Job');
    expect(stdout).toContain('Plugin: plugin-notes is active');
    expect(stdout).toMatch(/ADD_NOTE .*saved as #1/);
  });

  it('reports the doctor checks', async () => {
    const { stdout } = await cli('--data-dir', dataDir, '--json', 'doctor');
    const checks = (JSON.parse(stdout) as { data: { check: string; ok: boolean }[] }).data;
    expect(checks.map((c) => c.check)).toEqual(['node', 'data folder', 'toolchain', 'registry', 'model', 'sandbox']);
    expect(checks.find((c) => c.check === 'toolchain')?.ok).toBe(true);
  });

  describe('against a running agent (--agent-url)', () => {
    let t: TestRuntime;
    let server: Awaited<ReturnType<typeof startAgentServer>>;
    beforeAll(async () => {
      t = await createTestRuntime({
        plugins: [pluginDynamic],
        settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN, PLUGIN_DYNAMIC_GENERATOR: 'template', PLUGIN_DYNAMIC_REGISTRY_URL: env['PLUGIN_DYNAMIC_REGISTRY_URL'] ?? '' },
      });
      await Promise.all([t.runtime.getServiceLoadPromise('plugin_management'), t.runtime.getServiceLoadPromise('plugin_creation')]);
      server = await startAgentServer(t.runtime);
    });
    afterAll(async () => {
      await server?.close();
      await t?.cleanup();
    });

    it('gives the same answers as headless', async () => {
      const remote = await cli('--agent-url', server.pluginUrl, '--json', 'search', 'openai', '--limit', '3');
      const local = await cli('--data-dir', dataDir, '--json', 'search', 'openai', '--limit', '3');
      // The hits are the same; where the registry came from (network or cache) may differ.
      const hits = (out: string) => (JSON.parse(out) as { data: { hits: unknown[] } }).data.hits;
      expect(hits(remote.stdout)).toEqual(hits(local.stdout));
      expect(hits(remote.stdout).length).toBeGreaterThan(0);
    });

    it('installs and creates through the routes with the token', async () => {
      const refused = await cli('--agent-url', server.pluginUrl, 'install', SECRET_FIXTURE);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('error UNAUTHORIZED');
      const installed = await cli('--agent-url', server.pluginUrl, '--token', TOKEN, 'install', SECRET_FIXTURE);
      expect(installed.stdout).toContain('plugin-secret-echo@1.0.0: needs_configuration');
      const created = await cli('--agent-url', server.pluginUrl, '--token', TOKEN, 'create', 'examples/notes.json');
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain('Plugin: plugin-notes is active');
    });
  });
});
