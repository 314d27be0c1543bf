import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressView } from '../../../src/cli/job-progress.js';
import { answerOf, pickAction, sampleMessage } from '../../../src/cli/action-choice.js';
import { jobSummaryText } from '../../../src/cli/format.js';
import type { JobRecord } from '../../../src/creation/jobs/job-record.js';
import { parsePluginSpec } from '../../../src/creation/spec/index.js';

const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

function job(over: Partial<JobRecord>): JobRecord {
  return {
    id: '0123456789abcdef',
    status: 'running',
    iteration: 1,
    maxIterations: 5,
    progress: 0,
    pluginName: 'plugin-notes',
    spec: {},
    request: { kind: 'spec' },
    generator: 'template',
    sandbox: 'none',
    activate: true,
    workspaceDir: '/tmp/w',
    log: [{ at: at(0), message: 'Queued' }],
    iterations: [],
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

/** A stream that is not a terminal, the way a pipe or a CI log is. */
function pipe(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('showing a creation job', () => {
  it('writes each log line once and a line per phase when the output is not a terminal', () => {
    const out = pipe();
    const view = createProgressView({ json: false, stream: out.stream });
    const log = [{ at: at(0), message: 'Queued' }];
    view.update(job({ status: 'queued', log }));
    view.update(job({ phase: 'build', progress: 18, log }));
    view.update(job({ phase: 'build', progress: 18, log: [...log, { at: at(1), message: 'build passed' }] }));
    view.update(job({ phase: 'lint', progress: 36, log: [...log, { at: at(1), message: 'build passed' }] }));
    view.stop();
    expect(out.text()).toBe(['  Queued', '[ 18%] iteration 1/5 · build', '  build passed', '[ 36%] iteration 1/5 · lint', ''].join('\n'));
  });

  it('writes nothing with --json, so stdout and stderr stay machine-readable', () => {
    const out = pipe();
    const view = createProgressView({ json: true, stream: out.stream });
    view.update(job({ phase: 'build', progress: 18 }));
    view.stop();
    expect(out.text()).toBe('');
  });

  it('sums up a failed job with its last failing iteration and the error code', () => {
    const text = jobSummaryText(
      job({
        status: 'failed',
        iterations: [
          { iteration: 1, failedAt: 'build', durationMs: 5, diagnostics: [{ tool: 'tsc', file: 'src/index.ts', line: 3, code: 'TS2322', message: 'bad type' }] },
        ],
        error: { code: 'GENERATION_FAILED', message: 'The plugin did not pass after 1 iteration(s)' },
      }),
    );
    expect(text.split('\n')).toEqual([
      'plugin-notes: failed after 1 iteration (job 01234567, template generator)',
      'Iteration 1 failed at build:',
      '  - src/index.ts:3: [TS2322] bad type',
      'error GENERATION_FAILED: The plugin did not pass after 1 iteration(s)',
    ]);
  });

  it('shows model time apart from tool time, and the review findings no test confirmed as advice', () => {
    const text = jobSummaryText(
      job({
        status: 'succeeded',
        generator: 'model',
        timing: { modelMs: 754_000, toolMs: 41_400, modelCalls: 4 },
        validation: {
          ok: true,
          score: 90,
          findings: [],
          missing: [],
          untested: [],
          review: {
            score: 90,
            issues: [],
            suggestions: ['name things better', 'shared list'],
            findings: [
              { kind: 'style', severity: 'minor', message: 'name things better', status: 'advice' },
              { kind: 'bug', severity: 'major', message: 'shared list', status: 'unconfirmed', reason: 'its test passes against the current code' },
            ],
          },
        },
      }),
    );
    expect(text).toContain('Review:      0 finding(s) confirmed by failing tests over the iterations, 2 kept as advice (never blocking)');
    expect(text).toContain('  advice: style, minor: name things better');
    expect(text).toContain('  advice: bug, major: shared list (not confirmed: its test passes against the current code)');
    expect(text).toContain('Time:        model 12m 34s (4 calls), tools 41s');
  });
});

describe('choosing the action --run-action runs', () => {
  const spec = parsePluginSpec({
    name: 'plugin-notes',
    description: 'Keeps notes',
    actions: [
      { name: 'addNote', description: 'Add a note', parameters: { text: 'string', count: 'number' } },
      { name: 'listNotes', description: 'List the notes' },
    ],
  });

  it('takes the first action, or the one named, and fills each parameter with a sample of its type', () => {
    expect(pickAction(spec, undefined).actionName).toBe('ADD_NOTE');
    expect(pickAction(spec, 'LIST_NOTES').actionName).toBe('LIST_NOTES');
    expect(pickAction(spec, 'listNotes').actionName).toBe('LIST_NOTES');
    expect(JSON.parse(sampleMessage(pickAction(spec, undefined)))).toEqual({ text: 'example text', count: 1 });
    expect(() => pickAction(spec, 'NOPE')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: 'The plugin has no action NOPE to run (actions: ADD_NOTE, LIST_NOTES).' }));
  });

  it("answers with the action's text, or what it sent through its callback", () => {
    expect(answerOf({ results: [{ success: true, text: 'saved' }], replies: [] })).toEqual({ success: true, text: 'saved' });
    expect(answerOf({ results: [], replies: [{ text: 'sent' }] })).toEqual({ success: false, text: 'sent' });
    expect(answerOf({ results: [], replies: [] })).toEqual({ success: false, text: '(no answer)' });
  });
});
