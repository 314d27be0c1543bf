/**
 * An agent as `elizaos start` runs it: under bun, an AgentRuntime given plugin-sql and
 * plugin-dynamic as its plugins, initialized by the runtime itself. It then installs a published
 * plugin with the real npm client and creates one with the template generator, and prints one JSON
 * line per step for bun-agent.test.ts. Run with `bun run test/e2e/bun/agent-under-bun.ts <dataDir>`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentRuntime, stringToUuid, type Character } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { pluginDynamic, type PluginCreationService, type PluginManagementService } from '../../../src/index.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const report = (step: string, value: Record<string, unknown>): void => {
  console.log(JSON.stringify({ step, ...value }));
};

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: agent-under-bun.ts <dataDir>');
const root = join(import.meta.dirname, '..', '..', '..');
report('runtime', { bun: process.versions.bun ?? null, execPath: process.execPath });

const character: Character = {
  name: 'BunAgent',
  bio: ['An agent started under bun, as elizaos start does.'],
  settings: { PGLITE_DATA_DIR: join(dataDir, 'db'), PLUGIN_DYNAMIC_DATA_DIR: join(dataDir, 'plugin-dynamic') },
};
const runtime = new AgentRuntime({ character, agentId: stringToUuid('BunAgent'), plugins: [sqlPlugin, pluginDynamic] });
// A fresh database has no tables yet; the server runs plugin-sql's migrations before the agent's
// own initialize() in the same way.
await runtime.registerPlugin(sqlPlugin);
await runtime.runPluginMigrations();
await runtime.initialize();
await Promise.all([runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
const creation = runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE);
if (!management || !creation) throw new Error('plugin-dynamic did not start its services');
report('started', { capabilities: creation.capabilities() });

try {
  const installed = await management.install('@elizaos/plugin-bootstrap@1.7.2');
  report('install', { ok: true, packageName: installed.packageName, status: installed.status });
} catch (error) {
  report('install', { ok: false, code: (error as { code?: string }).code, message: (error as Error).message });
}

try {
  const spec: unknown = JSON.parse(await readFile(join(root, 'examples', 'notes.json'), 'utf8'));
  const job = await creation.createFromSpec(spec, { generator: 'template' });
  const done = await creation.waitForJob(job.id);
  report('create', { ok: done.status === 'succeeded', status: done.status, error: done.error ?? null, packageName: done.result?.packageName ?? null });
} catch (error) {
  report('create', { ok: false, code: (error as { code?: string }).code, message: (error as Error).message });
}

await runtime.getCache('bun-agent:flush');
await runtime.stop();
await runtime.close();
process.exit(0);
