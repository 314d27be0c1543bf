import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createUniqueUuid, type Action, type Content, type EventPayload, type IAgentRuntime, type Memory, type TargetInfo, type UUID } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSummary } from '../../../src/creation/actions/job-summary.js';
import { REPAIR_PROMPT_BUDGET } from '../../../src/creation/generators/model/prompts.js';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { pluginDynamic } from '../../../src/index.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { runAction } from '../../helpers/run-action.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { RECORDED_SPEC } from './fixtures/recorded/notes-plugin.js';
import { REMINDERS_SPEC } from './fixtures/recorded/reminders-plugin.js';
import { RECORDED_SCENARIOS, type RecordedScenario } from './fixtures/recorded/scenarios.js';
import { EVENTS_AND_POSTING, EXPORT_ADDED_IN_REPAIR, FIXABLE_LINT, UNSHOWN_FINDINGS } from './fixtures/recorded/convergence.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

/*
 * Recorded model answers replayed through the real pipeline (real tsc, ESLint and Vitest in the
 * sandbox, the real validation and the review gate): each first answer carries a mistake real models
 * made; it must be caught at the right gate with its cause first, and the next recorded answer (an
 * edit, as the repair prompt allows) must fix it.
 */
type Replayed = Pick<RecordedScenario, 'answers' | 'reviews'> & { title?: string };

describe('recorded model answers through the real pipeline', () => {
  let t: TestRuntime;
  let scenario: Replayed | undefined;
  const generationPrompts: string[] = [];
  const reviewPrompts: string[] = [];
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    t = await createTestRuntime({
      plugins: [pluginDynamic],
      // More jobs than the default hourly limit: every scenario is a job of its own.
      settings: { PLUGIN_DYNAMIC_GENERATOR: 'model', PLUGIN_DYNAMIC_COMMAND_TIMEOUT_MS: '60000', PLUGIN_DYNAMIC_JOBS_PER_HOUR: '50' },
      model: (prompt) => {
        if (!scenario) throw new Error('no scenario is running');
        if (prompt.startsWith('You review')) {
          reviewPrompts.push(prompt);
          return scenario.reviews[Math.min(reviewPrompts.length, scenario.reviews.length) - 1] ?? '';
        }
        generationPrompts.push(prompt);
        const answer = scenario.answers[generationPrompts.length - 1];
        if (answer === undefined) throw new Error(`the recording of "${scenario.title ?? 'a scenario'}" has no answer ${generationPrompts.length}`);
        return answer;
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE)]);
  });
  afterAll(async () => t?.cleanup());

  const replay = async (s: Replayed, activate = false): Promise<JobRecord> => {
    scenario = s;
    generationPrompts.length = 0;
    reviewPrompts.length = 0;
    // Every scenario creates the same plugin again, so each says it replaces the one before.
    const queued = await creation().createFromSpec(RECORDED_SPEC, { generator: 'model', activate, replace: true });
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
      // The failing step is named exactly, and the instruction allows what the fix needs.
      expect(repair).toContain(
        { build: 'The build failed (tsc)', lint: 'Lint failed (ESLint', test: 'Tests failed (vitest)', validate: 'The review confirmed these problems with failing tests' }[s.caughtAt],
      );
      expect(repair).toContain('Change what these problems require, keep the rest.');
      expect(repair).not.toContain('change nothing else');
      // The file each problem names is sent whole, and so are the tests that exercise it.
      for (const d of first.diagnostics.filter((x) => x.file)) expect(repair).toContain(`path=${d.file}\n`);
      expect(repair).toContain('path=src/__tests__/notes.test.ts\n');

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
    expect(job.validation?.review?.findings).toEqual([{ kind: 'style', severity: 'minor', message: 'Consider a limit on the number of notes.', status: 'advice' }]);
    expect(job.iterations[0]?.reviewFindings?.map((f) => [f.kind, f.status])).toEqual([['spec', 'confirmed'], ['style', 'advice']]);
    expect(job.validation?.review?.suggestions).toEqual(['Consider a limit on the number of notes.']);
    // The reviewer saw the plugin's sources before its tests.
    expect(reviewPrompts[0]!.indexOf('--- src/index.ts')).toBeLessThan(reviewPrompts[0]!.indexOf('--- src/__tests__/notes.test.ts'));
  }, 600_000);

  it('a finding confirmed by its failing test is fed back with the test output, and the test stays as a regression test', async () => {
    const bug = RECORDED_SCENARIOS.find((s) => s.firstProblemCode === 'review-bug')!;
    const job = await replay(bug);
    expect(job.iterations.map((i) => i.failedAt ?? 'passed')).toEqual(['validate', 'passed']);
    const confirmed = job.iterations[0]!.reviewFindings?.find((f) => f.status === 'confirmed');
    expect(confirmed).toMatchObject({ kind: 'bug', severity: 'major', test: 'src/__tests__/review-1-1.test.ts' });
    const fed = job.iterations[0]!.diagnostics[0]!;
    expect(fed.message).toContain('Shown by the failing test src/__tests__/review-1-1.test.ts');
    expect(fed.message).toContain('AssertionError');
    // The repair names the step, sends the test and the file it points at.
    const repair = generationPrompts[1]!;
    expect(repair).toContain('The review confirmed these problems with failing tests');
    expect(repair).toContain('path=src/__tests__/review-1-1.test.ts\n');
    expect(repair).toContain('path=src/providers/user-notes.ts\n');
    // The next review sees it among the plugin's tests: it is part of the plugin now.
    expect(reviewPrompts[1]).toContain('--- src/__tests__/review-1-1.test.ts');
  }, 600_000);

  it('a finding whose test passes, or does not compile, never blocks: the job ships with it as advice', async () => {
    const job = await replay(UNSHOWN_FINDINGS);
    expect(job.status, JSON.stringify([job.error, job.iterations])).toBe('succeeded');
    expect(job.iterations.map((i) => i.failedAt ?? 'passed')).toEqual(['passed']);
    expect(generationPrompts).toHaveLength(1);
    const findings = job.validation?.review?.findings ?? [];
    expect(findings.map((f) => [f.kind, f.status])).toEqual([
      ['bug', 'unconfirmed'],
      ['spec', 'unconfirmed'],
      ['bug', 'advice'],
      ['style', 'advice'],
    ]);
    expect(findings[0]?.reason).toBe('its test passes against the current code');
    expect(findings[1]?.reason).toContain('its test does not compile');
    expect(findings[1]?.reason).toContain('TS2322');
    // The tests that showed nothing are not left in the plugin.
    expect(existsSync(join(job.workspaceDir, 'src/__tests__/review-1-1.test.ts'))).toBe(false);
    expect(existsSync(join(job.workspaceDir, 'src/__tests__/review-1-2.test.ts'))).toBe(false);
    // The chat summary shows the advice, saying it does not block.
    const summary = jobSummary(job);
    expect(summary).toContain('Review advice (not blocking):');
    expect(summary).toContain('Notes of one user may be shown to another. [src/notes-store.ts] (not confirmed: its test passes against the current code)');
    // The review prompt says exactly what blocks.
    expect(reviewPrompts[0]).toContain('What blocks shipping, exactly');
    expect(reviewPrompts[0]).toContain('Everything else does not block and is shown to the user as advice');
  }, 600_000);

  it("ESLint's fixes are applied in the sandbox and become the accepted sources, without an iteration", async () => {
    const job = await replay(FIXABLE_LINT);
    expect(job.status, JSON.stringify([job.error, job.iterations])).toBe('succeeded');
    expect(job.iterations.map((i) => i.failedAt ?? 'passed')).toEqual(['passed']);
    expect(job.log.map((l) => l.message)).toContainEqual(expect.stringMatching(/^ESLint fixed .*src\/notes-store\.ts/));
    // What the reviewer saw (the accepted sources) is the fixed file.
    expect(reviewPrompts[0]).toContain('  const notes = [...(await readNotes(runtime, userId))');
    expect(reviewPrompts[0]).not.toContain('  let notes = [');
  }, 600_000);

  it('iteration 2 adds an export in one file and uses it in another: lint sees the current files and passes', async () => {
    const job = await replay(EXPORT_ADDED_IN_REPAIR);
    expect(job.status, JSON.stringify([job.error, job.iterations])).toBe('succeeded');
    expect(job.iterations.map((i) => i.failedAt ?? 'passed')).toEqual(['test', 'passed']);
    expect(generationPrompts[1]).toContain('Tests failed (vitest)');
  }, 600_000);

  it('an isolated plugin emits its own event with a custom name and posts to the room it was asked from', async () => {
    const job = await replay(EVENTS_AND_POSTING, true);
    expect(job.status, JSON.stringify([job.error, job.iterations])).toBe('succeeded');
    expect(job.result?.pluginStatus).toBe('active');
    const events: EventPayload[] = [];
    t.runtime.registerEvent('plugin-recorded-notes:note-added', async (payload: EventPayload) => {
      events.push(payload);
    });
    const sent: { target: TargetInfo; content: Content }[] = [];
    t.runtime.registerSendHandler('recorded-chat', async (_runtime: IAgentRuntime, target: TargetInfo, content: Content) => {
      sent.push({ target, content });
    });
    const user = '00000000-0000-0000-0000-0000000000b1' as UUID;
    const room = '00000000-0000-0000-0000-0000000000b2' as UUID;
    const message: Memory = { id: '00000000-0000-0000-0000-0000000000b3', entityId: user, agentId: t.runtime.agentId, roomId: room, content: { text: 'note: buy stamps', source: 'recorded-chat' } };
    const action = t.runtime.actions.find((a: Action) => a.name === 'ADD_NOTE')!;
    const result = await action.handler(t.runtime, message, undefined, {}, undefined);
    expect(result).toMatchObject({ success: true });
    expect(events).toEqual([expect.objectContaining({ source: 'plugin-recorded-notes', userId: user, count: 1 })]);
    expect(events[0]?.runtime).toBe(t.runtime);
    expect(sent).toEqual([{ target: { source: 'recorded-chat', roomId: room }, content: { text: 'Noted. You have 1 note(s).' } }]);
  }, 600_000);

  it('a reminder of a template plugin, made without a model, reaches its chat through sendMessageToTarget: isolated, then in-process', async () => {
    scenario = { title: 'template reminders', answers: [], reviews: [] };
    generationPrompts.length = 0;
    reviewPrompts.length = 0;
    const queued = await creation().createFromSpec(REMINDERS_SPEC, { generator: 'template', activate: true, replace: true });
    const job = await creation().waitForJob(queued.id);
    expect(job.status, JSON.stringify([job.error, job.iterations])).toBe('succeeded');
    expect(generationPrompts).toEqual([]);
    // The chat's platform: core's send handler for the source the user's messages carry.
    const posted: { target: TargetInfo; content: Content }[] = [];
    t.runtime.registerSendHandler('cli', async (_runtime: IAgentRuntime, target: TargetInfo, content: Content) => {
      posted.push({ target, content });
    });
    const roomId = createUniqueUuid(t.runtime, 'cli-room');
    const remind = async (what: string): Promise<void> => {
      const set = await runAction(t.runtime, 'SET_REMINDER', JSON.stringify({ text: what, when: 'in 1 second' }));
      expect(set.results[0], set.results[0]?.text).toMatchObject({ success: true });
      await expect.poll(() => posted.map((p) => p.content.text), { timeout: 60_000, interval: 500 }).toContain(`Reminder: ${what}`);
    };

    expect(management().get(REMINDERS_SPEC.name)).toMatchObject({ status: 'active', isolation: 'isolated' });
    await remind('stretch');
    await management().setIsolation(REMINDERS_SPEC.name, 'in-process');
    expect(management().get(REMINDERS_SPEC.name)).toMatchObject({ status: 'active', isolation: 'in-process' });
    await remind('drink water');

    expect(posted).toEqual([
      { target: { source: 'cli', roomId }, content: { text: 'Reminder: stretch' } },
      { target: { source: 'cli', roomId }, content: { text: 'Reminder: drink water' } },
    ]);
    // Each is kept in the room's messages too, as the agent's, so the conversation remembers it.
    const kept = await t.runtime.getMemories({ roomId, tableName: 'messages', count: 50 });
    const reminders = kept.filter((m) => m.content.text?.startsWith('Reminder: '));
    expect(reminders.map((m) => [m.content.text, m.entityId, (m.content.metadata as { posted?: boolean } | undefined)?.posted]).sort()).toEqual([
      ['Reminder: drink water', t.runtime.agentId, true],
      ['Reminder: stretch', t.runtime.agentId, true],
    ]);
  }, 600_000);
});
