import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { pluginDynamic } from '../../../src/index.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

/*
 * Every action of plugin-dynamic driven the way a chat drives it: a user message stored in a room,
 * a response naming the action, runtime.processActions (which calls each handler with core 1.7's own
 * options, { actionContext, ... }, and no parameters), runtime.getActionResults. The agent has a
 * model, so what an action cannot read from the text it asks the model for.
 */

const here = dirname(fileURLToPath(import.meta.url));
const SECRET_FIXTURE = join(here, '..', 'management', 'fixtures', 'plugin-secret-echo');

const SPEC = {
  name: 'plugin-chat-notes',
  description: 'Keeps short notes for each user',
  actions: [{ name: 'addNote', description: 'Add a note', parameters: { text: 'string' } }],
};
const DESCRIBED_SPEC = {
  name: 'plugin-shopping-list',
  description: 'A shopping list per user',
  actions: [
    { name: 'addItem', description: 'Add an item', parameters: { item: 'string', quantity: 'number?' } },
    { name: 'listItems', description: 'List the items' },
  ],
};

/** What the scripted model answers to the question "which parameters does this message give?". */
const PARAMETER_ANSWERS: [RegExp, Record<string, unknown>][] = [
  [/basic chat skills/, { query: 'bootstrap', limit: null }],
  [/secret echo test plugin/, { source: SECRET_FIXTURE, activate: true }],
  [/set its token/, { plugin: 'plugin-secret-echo', settings: { SECRET_ECHO_TOKEN: 'chat-token-1234' } }],
  [/turn on the echo/, { plugin: 'plugin-secret-echo' }],
  [/switch the echo one off/, { plugin: 'secret-echo' }],
  [/unload the echo/, { plugin: 'plugin-secret-echo' }],
  [/get rid of the echo/, { plugin: 'plugin-secret-echo' }],
  [/deactivate it/, { plugin: null }],
];

describe('every action through runtime.processActions, as core 1.7 calls it', () => {
  let t: TestRuntime;
  let server: Awaited<ReturnType<typeof startFixtureServer>>;
  let releaseGeneration: () => void = () => undefined;
  const parameterPrompts: string[] = [];
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    server = await startFixtureServer();
    t = await createTestRuntime({
      plugins: [pluginDynamic],
      settings: {
        PLUGIN_DYNAMIC_GENERATOR: 'model',
        PLUGIN_DYNAMIC_REGISTRY_URL: `${server.url}/registry/generated-registry.json`,
      },
      model: async (prompt) => {
        if (prompt.startsWith("The user's message below asks for the action")) {
          parameterPrompts.push(prompt);
          const message = prompt.slice(prompt.lastIndexOf('Message: '));
          const found = PARAMETER_ANSWERS.find(([pattern]) => pattern.test(message));
          return JSON.stringify(found?.[1] ?? {});
        }
        if (prompt.startsWith('Turn this request')) return `Here it is:\n${JSON.stringify(DESCRIBED_SPEC)}`;
        // A generation: the job stays in its generate phase until the test lets it go or cancels it.
        await new Promise<void>((resolve) => (releaseGeneration = resolve));
        return 'no files';
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE)]);
  });
  afterAll(async () => {
    releaseGeneration();
    await t?.cleanup();
    await server?.close();
  });

  describe('creation', () => {
    it('starts a job from a specification pasted in a message', async () => {
      const run = await runAction(t.runtime, 'CREATE_PLUGIN', `Please build this:\n\`\`\`json\n${JSON.stringify(SPEC, null, 2)}\n\`\`\``);
      expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
      expect(run.results[0]?.data?.['pluginName']).toBe('plugin-chat-notes');
      expect(run.replies[0]?.text).toMatch(/Plugin creation job started with id [0-9a-f]{8}/);
    });

    it('answers "what\'s the status of my plugin" with the running job', async () => {
      const job = creation().listJobs()[0]!;
      for (let i = 0; i < 1200 && creation().getJob(job.id).phase !== 'generate'; i++) await new Promise((r) => setTimeout(r, 100));
      const run = await runAction(t.runtime, 'CHECK_PLUGIN_CREATION_STATUS', "what's the status of my plugin");
      expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
      expect(run.replies[0]?.text).toContain('plugin-chat-notes');
      expect(run.replies[0]?.text).toContain('running');
      expect(run.replies[0]?.text).toContain('Phase: generate');
    });

    it('cancels it on "cancel it", while the model is still answering', async () => {
      const run = await runAction(t.runtime, 'CANCEL_PLUGIN_CREATION', 'cancel it');
      expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
      expect(run.replies[0]?.text).toMatch(/is cancelled/);
      expect(creation().listJobs()[0]?.status).toBe('cancelled');
    });

    it('refuses a bad specification naming its bad field, never the runtime\'s options', async () => {
      const run = await runAction(t.runtime, 'CREATE_PLUGIN', 'Create {"name": "Not A Package!", "description": "x", "actions": []}');
      expect(run.results[0]?.success).toBe(false);
      expect(run.results[0]?.data?.['code']).toBe('INVALID_SPEC');
      expect(run.results[0]?.text).toContain('name');
      expect(run.results[0]?.text).not.toContain('actionContext');
    });

    it('starts a job from a sentence, the specification written by the model, optional parameter kept', async () => {
      const run = await runAction(t.runtime, 'CREATE_PLUGIN_FROM_DESCRIPTION', 'I want a shopping list for everyone in the house');
      expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
      expect(run.replies[0]?.text).toContain('plugin-shopping-list');
      const spec = run.results[0]?.data?.['specification'] as { actions: { parameters: { name: string; required: boolean }[] }[] };
      expect(spec.actions[0]?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'quantity', required: false })]));
      const cancelled = await runAction(t.runtime, 'CANCEL_PLUGIN_CREATION', 'cancel it');
      expect(cancelled.results[0]?.success, cancelled.results[0]?.text).toBe(true);
    });

    it('lists the jobs', async () => {
      const run = await runAction(t.runtime, 'LIST_PLUGIN_CREATION_JOBS', 'show my plugin jobs');
      expect(run.results[0]?.success).toBe(true);
      expect(run.replies[0]?.text).toContain('plugin-chat-notes: cancelled');
      expect(run.replies[0]?.text).toContain('plugin-shopping-list: cancelled');
    });
  });

  describe('management, with the model asked for what the text does not say', () => {
    it('searches for what the model reads from the message, with a JSON-schema question', async () => {
      const run = await runAction(t.runtime, 'LIST_AVAILABLE_PLUGINS', 'is there anything that gives my agent its basic chat skills?');
      expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
      expect(run.results[0]?.data?.['query']).toBe('bootstrap');
      expect((run.results[0]?.data?.['results'] as { name: string }[])[0]?.name).toBe('@elizaos/plugin-bootstrap');
      const question = parameterPrompts.at(-1) ?? '';
      expect(question).toContain('LIST_AVAILABLE_PLUGINS');
      expect(JSON.parse(question.split('\n')[3] ?? '')).toMatchObject({ type: 'object', properties: { query: { type: ['string', 'null'] } } });
    });

    it('installs the source the model names', async () => {
      const run = await runAction(t.runtime, 'INSTALL_PLUGIN', 'add the secret echo test plugin from my fixtures please');
      expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
      expect(management().get('plugin-secret-echo').status).toBe('needs_configuration');
    });

    it('configures the plugin and settings the model reads', async () => {
      const run = await runAction(t.runtime, 'CONFIGURE_PLUGIN', 'set its token to chat-token-1234');
      expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
      expect(run.results[0]?.data?.['configured']).toEqual(['SECRET_ECHO_TOKEN']);
    });

    it('activates, lists, deactivates and unloads it by what the model reads', async () => {
      // An isolated plugin runs only once a person approved what it asks for: the answer is the request.
      const asked = await runAction(t.runtime, 'ACTIVATE_PLUGIN', 'turn on the echo thing');
      expect(asked.results[0]?.success).toBe(false);
      expect(asked.replies[0]?.text).toContain('needs your approval');
      expect(management().get('plugin-secret-echo').status).not.toBe('active');
      const on = await runAction(t.runtime, 'APPROVE_PLUGIN', 'yes, allow plugin-secret-echo');
      expect(on.results[0]?.success, on.results[0]?.text).toBe(true);
      expect(management().get('plugin-secret-echo').status).toBe('active');
      const list = await runAction(t.runtime, 'LIST_INSTALLED_PLUGINS', 'what plugins do I have?');
      expect(list.replies[0]?.text).toContain('plugin-secret-echo');
      const off = await runAction(t.runtime, 'DEACTIVATE_PLUGIN', 'switch the echo one off');
      expect(off.results[0]?.success, off.results[0]?.text).toBe(true);
      expect(management().get('plugin-secret-echo').status).toBe('inactive');
      const unload = await runAction(t.runtime, 'UNLOAD_PLUGIN', 'unload the echo');
      expect(unload.results[0]?.success, unload.results[0]?.text).toBe(true);
    });

    it('asks the user when neither the text nor the model names a plugin', async () => {
      const run = await runAction(t.runtime, 'DEACTIVATE_PLUGIN', 'deactivate it');
      expect(run.results[0]?.success).toBe(false);
      expect(run.results[0]?.text).toContain('Which plugin should I deactivate?');
    });

    it('uninstalls it', async () => {
      const run = await runAction(t.runtime, 'UNINSTALL_PLUGIN', 'get rid of the echo plugin');
      expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
      expect(management().list().map((p) => p.packageName)).not.toContain('plugin-secret-echo');
    });
  });
});
