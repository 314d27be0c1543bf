import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPAIR_PROMPT_BUDGET } from '../../../src/creation/generators/model/prompts.js';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { pluginDynamic } from '../../../src/index.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { RECORDED_SPEC } from './fixtures/recorded/notes-plugin.js';
import { RECORDED_SCENARIOS, type RecordedScenario } from './fixtures/recorded/scenarios.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

/*
 * Recorded model answers replayed through the real pipeline (real tsc, ESLint and Vitest in the
 * sandbox, the real validation and the review gate): each first answer carries a mistake real models
 * made; it must be caught at the right gate with its cause first, and the next recorded answer (an
 * edit, as the repair prompt allows) must fix it.
 */
describe('recorded model answers through the real pipeline', () => {
  let t: TestRuntime;
  let scenario: RecordedScenario | undefined;
  const generationPrompts: string[] = [];
  const reviewPrompts: string[] = [];
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;

  beforeAll(async () => {
    t = await createTestRuntime({
      plugins: [pluginDynamic],
      settings: { PLUGIN_DYNAMIC_GENERATOR: 'model', PLUGIN_DYNAMIC_COMMAND_TIMEOUT_MS: '60000' },
      model: (prompt) => {
        if (!scenario) throw new Error('no scenario is running');
        if (prompt.startsWith('You review')) {
          reviewPrompts.push(prompt);
          return scenario.reviews[Math.min(reviewPrompts.length, scenario.reviews.length) - 1] ?? '';
        }
        generationPrompts.push(prompt);
        const answer = scenario.answers[generationPrompts.length - 1];
        if (answer === undefined) throw new Error(`the recording of "${scenario.title}" has no answer ${generationPrompts.length}`);
        return answer;
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE)]);
  });
  afterAll(async () => t?.cleanup());

  const replay = async (s: RecordedScenario): Promise<JobRecord> => {
    scenario = s;
    generationPrompts.length = 0;
    reviewPrompts.length = 0;
    // Every scenario creates the same plugin again, so each says it replaces the one before.
    const queued = await creation().createFromSpec(RECORDED_SPEC, { generator: 'model', activate: false, replace: true });
    return creation().waitForJob(queued.id);
  };

  for (const s of RECORDED_SCENARIOS) {
    it(`${s.title}: caught at ${s.caughtAt} with its cause first, fixed by the next answer`, async () => {
      const job = await replay(s);
      expect(job.status, JSON.stringify([job.error, job.iterations])).toBe('succeeded');
      expect(job.iterations.map((i) => i.failedAt ?? 'passed')).toEqual([s.caughtAt, 'passed']);
      const first = job.iterations[0]!;
      expect(first.diagnostics[0]?.code).toBe(s.firstProblemCode);

      // The repair prompt names the cause, stays within its budget and offers the edit format.
      const repair = generationPrompts[1] ?? '';
      expect(repair).toContain(`[${s.firstProblemCode}]`);
      expect(repair.length).toBeLessThanOrEqual(REPAIR_PROMPT_BUDGET);
      expect(repair).toContain('edit path=');
      // A compiler or lint problem is local: the plugin's tests are listed, not sent.
      if (s.caughtAt === 'build' || s.caughtAt === 'lint') {
        expect(repair).not.toContain('path=src/__tests__/notes.test.ts');
        expect(repair).toContain('src/__tests__/notes.test.ts (');
      }

      // Model time and tool time are reported apart.
      expect(job.timing?.modelCalls).toBe(generationPrompts.length + reviewPrompts.length);
      expect(job.timing?.toolMs).toBeGreaterThan(0);
      expect(job.iterations.every((i) => typeof i.modelMs === 'number' && typeof i.toolMs === 'number')).toBe(true);
    }, 600_000);
  }

  it('feeds review findings on the specification or bugs back, keeps style remarks in the record only', async () => {
    const specGap = RECORDED_SCENARIOS.find((s) => s.firstProblemCode === 'review-spec')!;
    const job = await replay(specGap);
    expect(job.status).toBe('succeeded');
    const fedBack = job.iterations[0]!.diagnostics.map((d) => d.message);
    expect(fedBack.join('\n')).toContain('every user reads and writes one shared list');
    expect(fedBack.join('\n')).not.toContain('notesKey could be a constant template');
    expect(generationPrompts[1]).toContain('every user reads and writes one shared list');
    expect(job.validation?.review?.findings).toEqual([{ kind: 'style', message: 'Consider a limit on the number of notes.' }]);
    expect(job.iterations[0]?.reviewFindings?.map((f) => f.kind)).toEqual(['spec', 'style']);
    expect(job.validation?.review?.suggestions).toEqual(['Consider a limit on the number of notes.']);
    // The reviewer saw the plugin's sources before its tests.
    expect(reviewPrompts[0]!.indexOf('--- src/index.ts')).toBeLessThan(reviewPrompts[0]!.indexOf('--- src/__tests__/notes.test.ts'));
  }, 600_000);
});
