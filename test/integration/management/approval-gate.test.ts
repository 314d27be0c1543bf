import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginDynamicError } from '../../../src/errors.js';
import type { ApprovalRequest } from '../../../src/management/permissions/approval-record.js';
import { APPROVALS_KEY } from '../../../src/management/permissions/approval-store.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { runAction } from '../../helpers/run-action.js';
import type { TestRuntime } from '../../helpers/runtime.js';
import { hostProcessesOf } from '../host/host-processes.js';

const NAME = 'plugin-consent';

/** A user-source plugin folder (isolated by default) declaring `permissions`, whose action answers its version. */
async function pluginFolder(dir: string, version: string, permissions: Record<string, unknown>): Promise<string> {
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: NAME, version, type: 'module', main: 'dist/index.js', agentConfig: { pluginType: 'elizaos:plugin:1.0.0', permissions } }),
  );
  await writeFile(
    join(dir, 'dist', 'index.js'),
    `const action = { name: 'CONSENT_PING', similes: [], description: 'answers its version', validate: async () => true,
  handler: async (_r, _m, _s, _o, callback) => { const text = 'consent ${version} in ' + process.pid; if (callback) await callback({ text }); return { success: true, text }; } };
export default { name: '${NAME}', description: 'approval fixture', actions: [action] };\n`,
  );
  return dir;
}

const refusal = async (work: Promise<unknown>): Promise<PluginDynamicError & { details: { request: ApprovalRequest } }> => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'APPROVAL_REQUIRED' });
  return error as PluginDynamicError & { details: { request: ApprovalRequest } };
};

describe('an isolated plugin runs only once its permissions are approved for its digest', () => {
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  let dataDir: string;
  let sources: string;
  let folder: string;
  let t: TestRuntime;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const hostRoot = () => join(dataDir, 'plugin-dynamic');

  beforeAll(async () => {
    server = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-approval-'));
    sources = await mkdtemp(join(tmpdir(), 'pd-approval-src-'));
    folder = await pluginFolder(join(sources, NAME), '1.0.0', { network: ['api.one.test'] });
    t = await startManagementRuntime(dataDir, server.url);
  });
  afterAll(async () => {
    await t?.cleanup({ keepData: true });
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(sources, { recursive: true, force: true });
  });

  it('refuses the first activation with what it asks for, and starts no host', async () => {
    const error = await refusal(management().install(folder, { activate: true, allowedRoots: [sources] }));
    expect(error.message).toContain(`${NAME}@1.0.0 needs your approval before it runs isolated. It asks for: reach api.one.test; no model calls`);
    expect(error.message).toContain(`plugin-dynamic approve ${NAME} --activate`);
    expect(error.details.request).toMatchObject({ reason: 'first', diff: [], digest: expect.stringMatching(/^sha512-/) });
    expect(management().get(NAME)).toMatchObject({ status: 'installed', isolation: 'isolated' });
    expect(hostProcessesOf(hostRoot())).toEqual([]);
    await expect(refusal(management().activate(NAME))).resolves.toBeDefined();
    expect(management().get(NAME).status).toBe('installed');
  });

  it('runs isolated once approved through the approve path, bound to the digest shown', async () => {
    const { request } = await management().approvalState(NAME);
    expect(request).not.toBeNull();
    const answer = await management().approve(NAME, { channel: 'api', by: 'integration-test', digest: request!.digest, activate: true });
    expect(answer.approval).toMatchObject({ packageName: NAME, version: '1.0.0', digest: request!.digest, channel: 'api', by: 'integration-test', permissions: { network: ['api.one.test'] } });
    expect(answer.plugin).toMatchObject({ status: 'active', isolation: 'isolated' });
    const ran = await runAction(t.runtime, 'CONSENT_PING', 'ping');
    expect(ran.results[0]?.text).toMatch(/^consent 1\.0\.0 in \d+$/);
    expect(ran.results[0]?.text).not.toContain(` ${process.pid}`);
    expect(await management().approvalState(NAME)).toMatchObject({ request: null, approval: { digest: request!.digest } });
  });

  it('keeps the approval across a restart: the plugin comes back active without asking', async () => {
    const digest = (await management().approvalState(NAME)).approval!.digest;
    await t.cleanup({ keepData: true, restartable: true });
    t = await startManagementRuntime(dataDir, server.url);
    expect(management().get(NAME)).toMatchObject({ status: 'active', isolation: 'isolated' });
    expect(management().pendingApprovals()).toEqual([]);
    const stored = (await t.runtime.getCache<{ records: { packageName: string; digest: string }[] }>(APPROVALS_KEY))!.records;
    expect(stored).toEqual([expect.objectContaining({ packageName: NAME, digest })]);
  });

  it('asks again, with the permission diff, when a replace brings new content and permissions; the earlier version keeps running', async () => {
    const before = (await management().approvalState(NAME)).approval!;
    await pluginFolder(folder, '1.1.0', { network: ['api.one.test', 'api.two.test'], postToRooms: true });
    const error = await refusal(management().install(folder, { activate: true, replace: true, allowedRoots: [sources] }));
    expect(error.details.request).toMatchObject({ reason: 'permissions', version: '1.1.0', previous: { version: '1.0.0', digest: before.digest }, diff: ['+ network: api.two.test', '+ post to rooms'] });
    expect(error.details.request.digest).not.toBe(before.digest);
    expect(error.message).toContain('Changed: + network: api.two.test; + post to rooms.');
    expect(error.message).toContain('The earlier plugin-consent@1.0.0 was kept.');
    expect(management().get(NAME)).toMatchObject({ status: 'active', version: '1.0.0' });

    // Approving the request that was shown, then replacing again: the same bytes load.
    await management().approve(NAME, { channel: 'chat', digest: error.details.request.digest });
    expect(management().get(NAME).version).toBe('1.0.0');
    const replaced = await management().install(folder, { activate: true, replace: true, allowedRoots: [sources] });
    expect(replaced).toMatchObject({ status: 'active', version: '1.1.0' });
    expect((await runAction(t.runtime, 'CONSENT_PING', 'ping')).results[0]?.text).toMatch(/^consent 1\.1\.0 in /);
    expect((await management().approvalState(NAME)).approval).toMatchObject({ channel: 'chat', version: '1.1.0', permissions: { postToRooms: true } });
  });

  it("takes a creation job's request as the approval; a replace that widens is refused with the diff until approved", async () => {
    const made = 'plugin-made-consent';
    const generated = (jobId: string) => ({ trust: 'generated' as const, recordSource: { kind: 'generated' as const, jobId }, allowedRoots: [sources] });
    const built = async (version: string, network: string[]) => {
      const dir = join(sources, `${made}-${version}`);
      await mkdir(join(dir, 'dist'), { recursive: true });
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: made, version, type: 'module', main: 'dist/index.js', agentConfig: { permissions: { network } } }));
      await writeFile(join(dir, 'dist', 'index.js'), `export default { name: '${made}', description: 'made by a job', actions: [] };\n`);
      return dir;
    };
    const first = await management().install(await built('1.0.0', ['api.one.test']), { ...generated('job-1'), activate: true });
    expect(first).toMatchObject({ status: 'active', isolation: 'isolated' });
    expect((await management().approvalState(made)).approval).toMatchObject({ channel: 'creation', by: 'job job-1' });

    const wider = await built('2.0.0', ['api.one.test', 'api.two.test']);
    const error = await refusal(management().install(wider, { ...generated('job-2'), activate: true, replace: true }));
    expect(error.details.request.diff).toEqual(['+ network: api.two.test']);
    expect(management().get(made)).toMatchObject({ status: 'active', version: '1.0.0' });
    // The waiting request is what there is to answer (CLI approve, the panel's Review, "yes" in chat).
    expect((await management().approvalState(made)).request).toMatchObject({ version: '2.0.0', digest: error.details.request.digest });
    await management().approve(made, { channel: 'cli', digest: error.details.request.digest });
    const again = await management().install(wider, { ...generated('job-3'), activate: true, replace: true });
    expect(again).toMatchObject({ status: 'active', version: '2.0.0' });
    await management().uninstall(made);
  });

  it('forgets the approval on uninstall', async () => {
    await management().uninstall(NAME);
    expect((await t.runtime.getCache<{ records: unknown[] }>(APPROVALS_KEY))!.records).toEqual([]);
  });
});
