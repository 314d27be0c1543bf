import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueUuid } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { runAction } from '../../helpers/run-action.js';
import type { TestRuntime } from '../../helpers/runtime.js';

const NAME = 'plugin-chat-consent';

/*
 * Chat without a model: the management actions run through runtime.processActions as after the model
 * chose them. The refusal answers with what the plugin asks for; the user's "no" leaves it, "yes"
 * approves the request that was shown and activates it.
 */
describe('approval in the conversation', () => {
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  let dataDir: string;
  let sources: string;
  let t: TestRuntime;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    server = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-approval-chat-'));
    sources = await mkdtemp(join(tmpdir(), 'pd-approval-chat-src-'));
    const dir = join(sources, NAME);
    await mkdir(join(dir, 'dist'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: NAME, version: '1.0.0', type: 'module', main: 'dist/index.js', agentConfig: { permissions: { events: ['MESSAGE_RECEIVED'], storageMb: 5 } } }));
    await writeFile(join(dir, 'dist', 'index.js'), `export default { name: '${NAME}', description: 'chat approval fixture', actions: [] };\n`);
    t = await startManagementRuntime(dataDir, server.url);
    await management().install(dir, { allowedRoots: [sources] });
  });
  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(sources, { recursive: true, force: true });
  });

  it('answers an activation with the request and how to allow it', async () => {
    const run = await runAction(t.runtime, 'ACTIVATE_PLUGIN', `activate ${NAME}`);
    const result = run.results[0];
    expect(result).toMatchObject({ success: false, data: { code: 'APPROVAL_REQUIRED' } });
    expect(result?.text).toContain(`${NAME}@1.0.0 needs your approval before it runs isolated. It asks for: no network; no model calls; store up to 5 MB; no task workers; events MESSAGE_RECEIVED;`);
    expect(result?.text).toContain(`"yes, allow ${NAME}" in chat`);
    expect(run.replies[0]?.text).toBe(result?.text);
    expect(management().get(NAME).status).toBe('installed');
  });

  it('"no" leaves it inactive and stores nothing', async () => {
    const run = await runAction(t.runtime, 'APPROVE_PLUGIN', "no, don't allow it");
    expect(run.results[0]).toMatchObject({ success: true, data: { approved: false, plugin: NAME } });
    expect(management().get(NAME).status).toBe('installed');
    expect((await management().approvalState(NAME)).approval).toBeNull();
  });

  it('"yes" approves the request shown (its digest), by the user who said it, and activates the plugin', async () => {
    const shown = management().pendingApprovals().find((r) => r.packageName === NAME)!;
    const run = await runAction(t.runtime, 'APPROVE_PLUGIN', 'yes');
    expect(run.results[0]).toMatchObject({ success: true, text: `Approved ${NAME}@1.0.0: active.` });
    expect(management().get(NAME)).toMatchObject({ status: 'active', isolation: 'isolated' });
    const { approval } = await management().approvalState(NAME);
    expect(approval).toMatchObject({ channel: 'chat', digest: shown.digest, by: createUniqueUuid(t.runtime, 'cli-user'), permissions: { storageMb: 5, events: ['MESSAGE_RECEIVED'] } });
    expect(management().pendingApprovals()).toEqual([]);
  });
});
