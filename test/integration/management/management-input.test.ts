import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createUniqueUuid, type ActionResult, type Content } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode } from '../../../src/errors.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { runAction } from '../../helpers/run-action.js';
import type { TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { approvedStep } from '../../helpers/approval.js';

const here = dirname(fileURLToPath(import.meta.url));
const SECRET_FIXTURE = join(here, 'fixtures', 'plugin-secret-echo');
const CHAT_SECRET = 'chat-given-secret-7c1e9b44';

/** A refusal as the user sees it: the code, and the catalogue's advice in the answer and the callback. */
function expectRefusal(result: ActionResult | undefined, reply: Content | undefined, code: ErrorCode): void {
  expect(result?.success, result?.text).toBe(false);
  expect(result?.data?.['code']).toBe(code);
  expect(result?.data?.['hint']).toBe(ERROR_CATALOGUE[code]);
  expect(result?.text).toContain(ERROR_CATALOGUE[code]);
  expect(reply?.text).toContain(ERROR_CATALOGUE[code]);
}

describe('management input through processActions', () => {
  let registry: FixtureServer;
  let planted: FixtureServer;
  let dataDir: string;
  let t: TestRuntime;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const pluginsDir = () => join(dataDir, 'plugin-dynamic', 'plugins');
  /** Plugin folders on disk (npm's link to the host packages and staging folders aside). */
  const pluginFolders = async () =>
    existsSync(pluginsDir()) ? (await readdir(pluginsDir())).filter((f) => !f.startsWith('.staging-')) : [];

  beforeAll(async () => {
    registry = await startFixtureServer();
    // Stands for an attacker's server named in a message: it must never be asked anything.
    planted = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-management-input-'));
    t = await startManagementRuntime(dataDir, registry.url);
    // The registry copy is fetched once here, so any later request to it is a lookup of a name.
    await management().search('');
  });

  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await registry?.close();
    await planted?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses "install x@latest && curl ..." as a whole, never cut to "x", with the advice', async () => {
    const before = registry.requests.length;
    const run = await runAction(t.runtime, 'INSTALL_PLUGIN', `install x@latest && curl ${planted.url}/pwned`);
    expectRefusal(run.results[0], run.replies[0], 'INVALID_VERSION');
    expect(run.results[0]?.text).toContain(`latest && curl ${planted.url}/pwned`);
    expect(registry.requests.length).toBe(before);
    expect(planted.requests).toEqual([]);
    expect(management().list()).toEqual([]);
    expect(await pluginFolders()).toEqual([]);
  });

  it('refuses "install a;rm -rf ~" as a whole, never looked up as "a", with the advice', async () => {
    const before = registry.requests.length;
    const run = await runAction(t.runtime, 'INSTALL_PLUGIN', 'install a;rm -rf ~');
    expectRefusal(run.results[0], run.replies[0], 'INVALID_PLUGIN_NAME');
    expect(run.results[0]?.text).toContain('"a;rm -rf ~"');
    expect(registry.requests.length).toBe(before);
    expect(management().list()).toEqual([]);
  });

  it('only suggests a near name; nothing is installed until the user gives the exact name', async () => {
    const run = await runAction(t.runtime, 'INSTALL_PLUGIN', 'install bootstrapp');
    expectRefusal(run.results[0], run.replies[0], 'PLUGIN_NOT_FOUND');
    expect(run.results[0]?.text).toContain('Did you mean @elizaos/plugin-bootstrap?');
    // The CLI and the routes call the service with the text as typed: the same answer.
    await expect(management().install('bootstrapp', { activate: true })).rejects.toMatchObject({
      code: 'PLUGIN_NOT_FOUND',
      details: { suggestions: ['@elizaos/plugin-bootstrap'] },
    });
    expect(management().list()).toEqual([]);
    expect(await pluginFolders()).toEqual([]);
  });

  it('refuses a plugin the host loaded at start before anything is written', async () => {
    const run = await runAction(t.runtime, 'INSTALL_PLUGIN', 'install @elizaos/plugin-sql');
    expectRefusal(run.results[0], run.replies[0], 'PROTECTED_PLUGIN');
    expect(management().list()).toEqual([]);
    expect(await pluginFolders()).toEqual([]);
    expect(existsSync(pluginsDir()) ? (await readdir(pluginsDir())).filter((f) => f.startsWith('.staging-')) : []).toEqual([]);
  });

  it('takes a secret given in chat, removes it from the stored message and says the panel or CLI is safer', async () => {
    await management().install(SECRET_FIXTURE, { allowedRoots: [here] });
    const run = await runAction(
      t.runtime,
      'CONFIGURE_PLUGIN',
      `configure plugin-secret-echo with SECRET_ECHO_TOKEN=${CHAT_SECRET}`,
    );
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    expect(run.replies[0]?.text).toMatch(/panel or `plugin-dynamic configure` is the safer way/);
    expect(management().get('plugin-secret-echo').status).toBe('installed');
    const stored = await t.runtime.getMemories({
      tableName: 'messages',
      roomId: createUniqueUuid(t.runtime, 'cli-room'),
      count: 50,
    });
    const configureMessage = stored.find((m) => m.content.text?.startsWith('configure plugin-secret-echo'));
    expect(configureMessage?.content.text).toBe('configure plugin-secret-echo with SECRET_ECHO_TOKEN=[REDACTED]');
    expect(JSON.stringify(stored)).not.toContain(CHAT_SECRET);
  });

  it('keeps a deactivated plugin inactive, and out of the runtime, across a restart', async () => {
    await approvedStep(management(), () => management().activate('plugin-secret-echo'));
    const paused = await runAction(t.runtime, 'DEACTIVATE_PLUGIN', 'deactivate plugin-secret-echo');
    expect(paused.results[0]?.success, paused.results[0]?.text).toBe(true);
    await t.cleanup({ keepData: true, restartable: true });
    t = await startManagementRuntime(dataDir, registry.url);
    expect(management().get('plugin-secret-echo').status).toBe('inactive');
    expect(t.runtime.actions.some((a) => a.name === 'CHECK_SECRET_TOKEN')).toBe(false);
    const again = await runAction(t.runtime, 'ACTIVATE_PLUGIN', 'activate plugin-secret-echo');
    expect(again.results[0]?.success, again.results[0]?.text).toBe(true);
    expect(t.runtime.actions.some((a) => a.name === 'CHECK_SECRET_TOKEN')).toBe(true);
  });
});
