import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobFiles } from '../../../src/creation/pipeline/job-files.js';
import { templateGenerator } from '../../../src/creation/generators/template/index.js';
import { TEMPLATE_MODEL_CALLS_PER_HOUR, TEMPLATE_STORAGE_MB } from '../../../src/creation/generators/template/template-permissions.js';
import { describeToSpec, parsePluginSpec, safeParsePluginSpec } from '../../../src/creation/spec/index.js';
import { workspacePackageJson } from '../../../src/creation/workspace/index.js';
import { mergePermissions } from '../../../src/management/permissions/merge-permissions.js';
import { LEAST_PERMISSIONS, readDeclaredPermissions } from '../../../src/management/permissions/plugin-permissions.js';

const FULL = {
  network: ['API.Weather.example', 'wttr.in'],
  modelCallsPerHour: 30,
  storageMb: 8,
  taskWorkers: ['weather-refresh'],
  events: ['MESSAGE_RECEIVED'],
  routes: ['GET /forecast'],
  postToRooms: true,
};

describe("a specification's permissions", () => {
  it('are the least when the specification says nothing', () => {
    expect(parsePluginSpec({ name: 'plugin-a', description: 'd' }).permissions).toEqual(LEAST_PERMISSIONS);
    expect(parsePluginSpec({ name: 'plugin-a', description: 'd', permissions: {} }).permissions).toEqual(LEAST_PERMISSIONS);
  });

  it('take every field of the permission vocabulary, normalized', () => {
    const spec = parsePluginSpec({ name: 'plugin-weather', description: 'd', permissions: FULL });
    expect(spec.permissions).toEqual({ ...FULL, network: ['api.weather.example', 'wttr.in'] });
  });

  it('are refused when a field is outside the vocabulary, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ modelCallsPerHour: -1 }, 'permissions.modelCallsPerHour'],
      [{ storageMb: 1.5 }, 'permissions.storageMb'],
      [{ routes: ['/forecast'] }, 'permissions.routes[0]'],
      [{ postToRooms: 'yes' }, 'permissions.postToRooms'],
      [{ network: ['http://x.example'] }, 'permissions.network[0]'],
      [{ shell: true }, 'permissions'],
    ];
    for (const [permissions, field] of cases) {
      const result = safeParsePluginSpec({ name: 'plugin-a', description: 'd', permissions });
      expect(result.success, JSON.stringify(permissions)).toBe(false);
      if (!result.success) expect(result.issues[0]?.field).toBe(field);
    }
  });

  it("are written in full into the generated package.json, and read back the same by the agent's one reader", () => {
    const spec = parsePluginSpec({ name: 'plugin-weather', description: 'd', permissions: FULL });
    const agentConfig = workspacePackageJson(spec)['agentConfig'];
    expect(agentConfig).toMatchObject({ permissions: spec.permissions });
    expect(readDeclaredPermissions(agentConfig)).toEqual({ permissions: spec.permissions, declared: true, problems: [] });
    // Nothing asked for: every field is still written, as the least.
    const least = workspacePackageJson(parsePluginSpec({ name: 'plugin-a', description: 'd' }))['agentConfig'];
    expect((least as { permissions: unknown }).permissions).toEqual(LEAST_PERMISSIONS);
  });
});

describe("merging a generator's permissions into the specification's", () => {
  it('joins the lists, keeps numbers and network, and allows posting when either asks', () => {
    const base = parsePluginSpec({ name: 'plugin-a', description: 'd', permissions: { taskWorkers: ['b'], events: ['E1'], modelCallsPerHour: 5 } }).permissions;
    expect(mergePermissions(base, { taskWorkers: ['a', 'b'], events: ['E2'], routes: ['POST /x'], postToRooms: true })).toEqual({
      ...base,
      taskWorkers: ['a', 'b'],
      events: ['E1', 'E2'],
      routes: ['POST /x'],
      postToRooms: true,
    });
    expect(mergePermissions(base, { postToRooms: false, modelCallsPerHour: 2 })).toEqual(base);
    expect(mergePermissions(base, { modelCallsPerHour: 50, storageMb: 4 })).toEqual({ ...base, modelCallsPerHour: 50, storageMb: 4 });
    expect(mergePermissions(base, undefined)).toEqual(base);
  });
});

describe("the template's own needs", () => {
  const generate = (spec: ReturnType<typeof parsePluginSpec>) => templateGenerator.generate({ spec, iteration: 1, currentFiles: [], feedback: undefined });

  it('asks for storage where it keeps records, and model calls where it reads parameters with the model', async () => {
    const result = await generate(describeToSpec('a plugin that keeps a shopping list: add, remove and show items'));
    expect(result.permissions).toMatchObject({ storageMb: TEMPLATE_STORAGE_MB, modelCallsPerHour: TEMPLATE_MODEL_CALLS_PER_HOUR });
  });

  it('asks for no storage where its code keeps nothing', async () => {
    const result = await generate(parsePluginSpec({ name: 'plugin-hello', description: 'Says hello', actions: [{ name: 'say hello', description: 'Says hello' }] }));
    expect(result.permissions?.storageMb).toBeUndefined();
  });
});

describe("a creation job's package.json", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-job-permissions-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("declares the specification's permissions merged with the generator's, in the workspace and in the agent's copy", async () => {
    const spec = parsePluginSpec({ name: 'plugin-remind', description: 'd', permissions: { network: ['api.remind.example'], modelCallsPerHour: 10 } });
    const files = new JobFiles({ dataDir: join(dir, 'data'), jobId: 'job1', workspaceDir: join(dir, 'ws'), spec, installTimeoutMs: 1_000, outputCapBytes: 1_000 });
    await files.scaffold();
    const read = async (path: string) => (JSON.parse(await readFile(path, 'utf8')) as { agentConfig: unknown }).agentConfig;
    expect(readDeclaredPermissions(await read(join(dir, 'ws', 'package.json'))).permissions).toEqual(spec.permissions);

    expect(await files.addPermissions({ taskWorkers: ['remind-due'], postToRooms: true })).toBe(true);
    // The same addition again changes nothing.
    expect(await files.addPermissions({ taskWorkers: ['remind-due'] })).toBe(false);
    const expected = { ...spec.permissions, taskWorkers: ['remind-due'], postToRooms: true };
    expect(files.declaredPermissions).toEqual(expected);
    // The agent's copy (bound over the workspace's file in the sandbox) has it at once.
    expect(readDeclaredPermissions(await read(join(files.configDir, 'package.json'))).permissions).toEqual(expected);
  });
});
