import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { parsePluginSpec } from '../../../src/creation/spec/index.js';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const here = dirname(fileURLToPath(import.meta.url));
const GOOD = join(here, '..', '..', 'fixtures', 'shared', 'specs', 'good');
const fixtures = readdirSync(GOOD).filter((f) => f.endsWith('.json')).sort();

describe('every good specification on the template path', () => {
  let t: TestRuntime;
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    t = await createTestRuntime({ plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_GENERATOR: 'template' } });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  });
  afterAll(async () => t.cleanup());

  it('has the four fixtures of the product documentation', () => {
    expect(fixtures).toEqual(['api.json', 'database.json', 'todo.json', 'weather.json']);
  });

  for (const file of fixtures) {
    it(`${file}: succeeds in iteration 1, answers through processActions, then unloads`, async () => {
      const raw: unknown = JSON.parse(readFileSync(join(GOOD, file), 'utf8'));
      const spec = parsePluginSpec(raw);
      const queued = await creation().createFromSpec(raw);
      const job = await creation().waitForJob(queued.id);
      expect(job.status, JSON.stringify(job.error ?? job.iterations.at(-1))).toBe('succeeded');
      expect(job.iterations).toHaveLength(1);
      expect(job.tests?.failed).toBe(0);
      expect(job.tests?.total).toBeGreaterThanOrEqual(spec.actions.length + spec.providers.length);
      expect(job.progress).toBe(100);
      // Every part of the job's time is on its record, and the shipped build started after tsc passed is the one installed.
      const measured = new Set(job.phases?.map((p) => p.name));
      for (const name of ['setup', 'generate', 'config-restore', 'tsc', 'eslint', 'vitest', 'validate', 'shipped-build', 'install'] as const) expect(measured).toContain(name);
      expect(measured.has('load')).toBe(job.result?.pluginStatus === 'active');
      expect(job.phases?.filter((p) => p.name === 'tsc').map((p) => p.iteration)).toEqual([1]);
      expect(job.log.find((l) => l.message.startsWith('Shipped build'))?.message).toContain('reused');

      const required = spec.environmentVariables.filter((v) => v.required).map((v) => v.name);
      if (required.length > 0) {
        expect(job.result?.pluginStatus).toBe('needs_configuration');
        expect(job.result?.missingSettings).toEqual(required);
        await management().configure(spec.name, Object.fromEntries(required.map((n) => [n, 'postgres://user:pw@localhost/db'])));
        await management().activate(spec.name);
      } else {
        expect(job.result?.pluginStatus).toBe('active');
      }
      expect(management().get(spec.name)).toMatchObject({ trust: 'generated', isolation: 'isolated', isolationDecidedBy: 'default' });

      const action = spec.actions[0]!;
      const args = Object.fromEntries(action.parameters.map((p) => [p.name, p.type === 'number' ? 3 : p.type === 'array' ? ['a'] : p.type === 'object' ? { a: 1 } : 'Paris']));
      // A working recipe answers; a scaffold says it is not implemented yet, never a false success.
      const report = job.result?.components?.find((c) => c.kind === 'action' && c.name === action.actionName);
      expect(report).toBeDefined();
      const run = await runAction(t.runtime, action.actionName, JSON.stringify(args));
      expect(run.results[0]?.success, run.results[0]?.text).toBe(report?.working);
      if (!report?.working) expect(run.results[0]?.text).toContain('not implemented yet');
      expect(run.replies.length).toBeGreaterThan(0);

      const before = t.runtime.actions.length;
      await management().unload(spec.name);
      expect(t.runtime.actions.length).toBe(before - spec.actions.length);
      expect(t.runtime.actions.some((a) => a.name === action.actionName)).toBe(false);
    });
  }
});
