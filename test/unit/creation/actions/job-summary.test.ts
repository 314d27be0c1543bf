import { describe, expect, it } from 'vitest';
import { jobSummary } from '../../../../src/creation/actions/job-summary.js';
import { JobRecordSchema, type JobRecord } from '../../../../src/creation/jobs/job-record.js';

/** A finished template job as the job store keeps it (parsed by the store's own schema). */
function finishedJob(result: Partial<NonNullable<JobRecord['result']>>, timing?: JobRecord['timing']): JobRecord {
  return JobRecordSchema.parse({
    id: '0123456789abcdef',
    status: 'succeeded',
    iteration: 1,
    maxIterations: 3,
    progress: 100,
    pluginName: 'plugin-weather',
    spec: {},
    request: { kind: 'spec' },
    generator: 'template',
    sandbox: 'bubblewrap',
    activate: true,
    workspaceDir: '/data/jobs/0123456789abcdef',
    log: [],
    iterations: [{ iteration: 1, diagnostics: [], durationMs: 4200, modelMs: 0, toolMs: 4200 }],
    tests: { passed: 6, failed: 0, total: 6 },
    result: { packageName: 'plugin-weather', pluginStatus: 'active', missingSettings: [], installDir: '/data/plugins/plugin-weather', ...result },
    ...(timing ? { timing } : {}),
    createdAt: '2026-12-01T16:00:00.000Z',
    updatedAt: '2026-12-01T16:00:05.000Z',
  });
}

const COMPONENTS: NonNullable<JobRecord['result']>['components'] = [
  { kind: 'action', name: 'GET_CURRENT_WEATHER', recipe: 'scaffold', working: false, detail: 'not implemented: no recipe fits its name and description' },
  { kind: 'provider', name: 'weatherData', recipe: 'scaffold', working: false, detail: 'no recipe fits; it gives the agent no context yet' },
  { kind: 'provider', name: 'localTime', recipe: 'time', working: true, detail: 'real date and time with time zones' },
];

describe('jobSummary, the chat answer about a job', () => {
  it('lists the working recipes and the scaffolds of a finished template job, and its unused dependencies', () => {
    const text = jobSummary(finishedJob({ components: COMPONENTS, unusedDependencies: ['slugify'] }));
    const lines = text.split('\n');
    expect(lines).toContain('Working: localTime (time)');
    expect(lines).toContain('Scaffolds, not implemented yet (edit src/ or create it again with a model): GET_CURRENT_WEATHER, weatherData');
    expect(lines).toContain('Unused dependencies (declared, never imported): slugify');
  });

  it('says "none" when no component works, and leaves out scaffolds and unused lines when there are none', () => {
    const allScaffolds = jobSummary(finishedJob({ components: COMPONENTS.filter((c) => !c.working) })).split('\n');
    expect(allScaffolds).toContain('Working: none');
    const allWorking = jobSummary(finishedJob({ components: COMPONENTS.filter((c) => c.working), unusedDependencies: [] }));
    expect(allWorking).toContain('Working: localTime (time)');
    expect(allWorking).not.toContain('Scaffolds');
    expect(allWorking).not.toContain('Unused');
  });

  it('says nothing of components for a job whose result has none (a model job)', () => {
    const text = jobSummary(finishedJob({}));
    expect(text).not.toMatch(/Working|Scaffolds|Unused/);
  });

  it('shows model time and tool time apart, with the count of model calls', () => {
    const text = jobSummary(finishedJob({ components: COMPONENTS }, { modelMs: 723_000, toolMs: 41_000, modelCalls: 4 }));
    expect(text.split('\n')).toContain('Time: model 12m 3s (4 calls), tools 41s');
    expect(jobSummary(finishedJob({}))).not.toContain('Time:');
  });
});
