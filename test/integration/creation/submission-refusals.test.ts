import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import type { PluginDynamicError } from '../../../src/errors.js';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { approvedStep } from '../../helpers/approval.js';

/*
 * Issue 19: a job is refused at submission, before any workspace or build, for what cannot work
 * (nothing to build, a name another loaded plugin holds); the same specification again replaces what
 * its own earlier job made; a job whose plugin fails to load leaves nothing installed.
 */

const HELLO = { name: 'plugin-hello-again', description: 'Says hello', actions: [{ name: 'sayHello', description: 'Say hello to the user' }] };

/** A folder plugin holding ADD_NOTE, as plugin-notes does once the README's first command ran. */
async function noteHolder(root: string): Promise<string> {
  const dir = join(root, 'plugin-note-holder');
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'plugin-note-holder', version: '1.0.0', type: 'module', main: 'dist/index.js' }));
  await writeFile(
    join(dir, 'dist', 'index.js'),
    `export default { name: 'plugin-note-holder', description: 'holds ADD_NOTE', actions: [{ name: 'ADD_NOTE', similes: [], description: 'x', examples: [], validate: async () => true, handler: async () => ({ success: true, text: 'held' }) }] };\n`,
  );
  return dir;
}

const refusal = async (promise: Promise<unknown>): Promise<PluginDynamicError> => {
  try {
    await promise;
  } catch (error) {
    return error as PluginDynamicError;
  }
  throw new Error('not refused');
};

describe('creation: refused before any work, the same request replaces its own result', () => {
  let t: TestRuntime;
  let sources: string;
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const workspaces = async (): Promise<string[]> => readdir(join(t.dataDir, 'plugin-dynamic', 'workspaces')).catch(() => []);

  beforeAll(async () => {
    sources = await mkdtemp(join(tmpdir(), 'pd-submission-src-'));
    t = await createTestRuntime({ plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_GENERATOR: 'template' } });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(sources, { recursive: true, force: true });
  });

  it('refuses an empty specification with what to add, and queues no job', async () => {
    const e = await refusal(creation().createFromSpec({ name: 'plugin-empty', description: 'Nothing in it' }));
    expect(e.code).toBe('INVALID_SPEC');
    expect(e.message).toContain('add at least one of "actions", "providers", "services" or "evaluators"');
    expect(creation().listJobs()).toEqual([]);
  });

  it('refuses a name a loaded plugin holds at submission, naming that plugin, with no job and no workspace', async () => {
    const folder = await noteHolder(sources);
    const holder = await approvedStep(management(), () => management().install(folder, { activate: true, allowedRoots: [sources] }));
    expect(holder.status).toBe('active');
    const notes = { name: 'plugin-notes-clash', description: 'Notes', actions: [{ name: 'addNote', description: 'Add a note' }, { name: 'listNotes', description: 'List' }] };
    const e = await refusal(creation().createFromSpec(notes));
    expect(e.code).toBe('COMPONENT_CONFLICT');
    expect(e.message).toBe(
      'plugin-notes-clash cannot be created: action ADD_NOTE is held by plugin-note-holder. Nothing was built; rename those components in the specification, or uninstall plugin-note-holder.',
    );
    expect(creation().listJobs()).toEqual([]);
    expect(await workspaces()).toEqual([]);
  });

  it('runs the same specification again: the new job replaces what the earlier one made and says so in one line', async () => {
    const first = await creation().waitForJob((await creation().createFromSpec(HELLO)).id);
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded');
    const again = await creation().createFromSpec(HELLO);
    expect(again.replace).toBe(true);
    expect(again.log.map((l) => l.message)).toContain(
      `Same specification as job ${first.id.slice(0, 8)}: replacing the plugin-hello-again it made (kept until the new one loads).`,
    );
    const second = await creation().waitForJob(again.id);
    expect(second.status, JSON.stringify(second.error)).toBe('succeeded');
    expect(management().get('plugin-hello-again').source).toBe(`generated by job ${second.id}`);
    // Another specification under that name is still refused: only its own result is replaced.
    const other = await refusal(creation().createFromSpec({ ...HELLO, description: 'Says hello differently' }));
    expect(other.code).toBe('ALREADY_INSTALLED');
  });

  it('leaves nothing installed when the new plugin cannot load', async () => {
    const spec = { name: 'plugin-load-fails', description: 'Waves', actions: [{ name: 'waveHand', description: 'Wave at the user' }] };
    const queued = await creation().createFromSpec(spec);
    // Taken after submission, before the job reaches its install: the load then fails.
    await t.runtime.registerPlugin({ name: 'plugin-late-waver', description: 'holds WAVE_HAND', actions: [{ name: 'WAVE_HAND', similes: [], description: 'x', examples: [], validate: async () => true, handler: async () => ({ success: true }) }] });
    const done = await creation().waitForJob(queued.id);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('COMPONENT_CONFLICT');
    expect(management().list().map((p) => p.packageName)).not.toContain('plugin-load-fails');
  });
});
