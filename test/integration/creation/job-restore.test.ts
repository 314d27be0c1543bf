import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { pluginDynamic } from '../../../src/index.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const now = new Date().toISOString();
const job = (id: string, status: JobRecord['status']): JobRecord => ({
  id,
  status,
  phase: status === 'running' ? 'test' : undefined,
  iteration: status === 'running' ? 1 : 0,
  maxIterations: 5,
  progress: 10,
  pluginName: `plugin-${id}`,
  spec: { name: `plugin-${id}` },
  request: { kind: 'spec' },
  generator: 'template',
  sandbox: 'auto',
  activate: true,
  workspaceDir: `/tmp/nowhere-${id}`,
  log: [],
  iterations: [],
  createdAt: now,
  updatedAt: now,
});

describe('creation jobs across a restart', () => {
  let t: TestRuntime;
  const start = async (dataDir?: string) => {
    t = await createTestRuntime({ plugins: [pluginDynamic], ...(dataDir ? { dataDir } : {}) });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  };
  beforeAll(() => start());
  afterAll(async () => t.cleanup());

  it('marks a job that was running when the process died as failed: interrupted, keeping the rest', async () => {
    // What a process killed with SIGKILL leaves behind: a job still recorded as running.
    await t.runtime.setCache('plugin-dynamic:creation-jobs', {
      version: 1,
      records: [job('aaaaaaaa-running', 'running'), job('bbbbbbbb-done', 'succeeded'), { id: 'corrupt' }],
    });
    const dataDir = t.dataDir;
    await t.cleanup({ keepData: true, restartable: true });
    await start(dataDir);
    const creation = t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
    const interrupted = creation.getJob('aaaaaaaa-running');
    expect(interrupted.status).toBe('failed');
    expect(interrupted.error).toMatchObject({ code: 'JOB_INTERRUPTED', message: expect.stringContaining('interrupted') });
    expect(interrupted.log.at(-1)?.message).toContain('workspace kept');
    expect(creation.getJob('bbbbbbbb-done').status).toBe('succeeded');
    expect(creation.listJobs().map((j) => j.id).sort()).toEqual(['aaaaaaaa-running', 'bbbbbbbb-done']);
  });

  it('refuses an unknown job id with JOB_NOT_FOUND', () => {
    const creation = t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
    expect(() => creation.getJob('ffffffff')).toThrow(expect.objectContaining({ code: 'JOB_NOT_FOUND' }));
  });
});
