import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { pluginDynamic } from '../../../src/index.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/*
 * "Ask again with replace", said in chat: CREATE_PLUGIN declares `replace`, so the request reaches
 * the job through runtime.processActions (core 1.7 passes no parameters, only the message).
 */

const NAME = 'plugin-chat-replace';
const SPEC = {
  name: NAME,
  description: 'Answers with a fixed greeting',
  actions: [{ name: 'sayHello', description: 'Say hello to the user', parameters: { who: 'string' } }],
};
const fenced = '```json\n' + JSON.stringify(SPEC, null, 2) + '\n```';

/** A plugin folder standing for what an earlier creation job built and installed. */
async function builtPlugin(root: string): Promise<string> {
  const dir = join(root, NAME);
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: NAME, version: '1.0.0', type: 'module', main: 'dist/index.js' }));
  await writeFile(join(dir, 'dist', 'index.js'), `export default { name: '${NAME}', description: 'made by an earlier job', actions: [] };\n`);
  return dir;
}

describe('CREATE_PLUGIN with replace, through processActions', () => {
  let registry: FixtureServer;
  let dataDir: string;
  let sources: string;
  let t: TestRuntime;
  const replaceAnswers: string[] = [];
  const creation = () => t.runtime.getService<PluginCreationService>('plugin_creation')!;
  const management = () => t.runtime.getService<PluginManagementService>('plugin_management')!;

  beforeAll(async () => {
    registry = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-chat-replace-'));
    sources = await mkdtemp(join(tmpdir(), 'pd-chat-replace-src-'));
    t = await createTestRuntime({
      dataDir,
      plugins: [pluginDynamic],
      settings: {
        PLUGIN_DYNAMIC_GENERATOR: 'template',
        PLUGIN_DYNAMIC_REGISTRY_URL: `${registry.url}/registry/generated-registry.json`,
      },
      // The parameter question: "do not replace" is a no, anything else that says replace is a yes.
      model: (prompt) => {
        const message = prompt.slice(prompt.lastIndexOf('Message: '));
        const answer = JSON.stringify({ replace: !/not replace/i.test(message) });
        replaceAnswers.push(answer);
        return answer;
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise('plugin_creation'), t.runtime.getServiceLoadPromise('plugin_management')]);
    const installed = await management().install(await builtPlugin(sources), {
      trust: 'generated',
      recordSource: { kind: 'generated', jobId: 'earlier-job' },
      allowedRoots: [sources],
    });
    expect(installed.trust).toBe('generated');
  });
  afterAll(async () => {
    await t?.cleanup();
    await registry?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(sources, { recursive: true, force: true });
  });

  it('takes replace as a declared parameter from JSON in the message', async () => {
    const run = await runAction(t.runtime, 'CREATE_PLUGIN', JSON.stringify({ specification: SPEC, replace: true }));
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    const job = creation().getJob(String(run.results[0]?.data?.['jobId']));
    expect(job).toMatchObject({ pluginName: NAME, replace: true });
    await creation().cancel(job.id);
  });

  it('refuses without replace, and the advice says to ask with replace', async () => {
    const jobsBefore = creation().listJobs().length;
    const run = await runAction(t.runtime, 'CREATE_PLUGIN', `Build this plugin:\n${fenced}`);
    expect(run.results[0]?.success).toBe(false);
    expect(run.results[0]?.data?.['code']).toBe('ALREADY_INSTALLED');
    expect(run.results[0]?.text).toContain('replace');
    expect(creation().listJobs()).toHaveLength(jobsBefore);
  });

  it('refuses when the message says not to replace, as the model reads it', async () => {
    const asked = replaceAnswers.length;
    const run = await runAction(t.runtime, 'CREATE_PLUGIN', `Build this plugin again, but do not replace the old one:\n${fenced}`);
    expect(replaceAnswers.length).toBe(asked + 1);
    expect(run.results[0]?.data?.['code']).toBe('ALREADY_INSTALLED');
  });

  it('starts a replacing job when the message asks to replace it', async () => {
    const asked = replaceAnswers.length;
    const run = await runAction(t.runtime, 'CREATE_PLUGIN', `Build it again and replace the old one:\n${fenced}`);
    expect(replaceAnswers.length).toBe(asked + 1);
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    const job = creation().getJob(String(run.results[0]?.data?.['jobId']));
    expect(job).toMatchObject({ pluginName: NAME, replace: true });
    await creation().cancel(job.id);
  });
});
