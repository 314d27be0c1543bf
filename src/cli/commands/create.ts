import { Option } from 'commander';
import type { JobRecord } from '../../creation/jobs/job-record.js';
import { GENERATOR_CHOICES, type GeneratorChoice } from '../../creation/generators/generator-kinds.js';
import { codedError } from '../../errors.js';
import type { Backend } from '../backend.js';
import type { CliContext } from '../context.js';
import { followJob } from '../follow-job.js';
import { answerText, jobSummaryText, type ActionAnswer } from '../format.js';
import { note, printResult } from '../output.js';
import { pickAction, sampleMessage } from '../action-choice.js';
import { readSpecFile } from '../spec-file.js';
import { startSpareForCreate } from '../early-spare.js';
import { askApproval, whoAmI } from '../approve-prompt.js';
import { parsePluginSpec } from '../../creation/spec/spec-schema.js';
import { RERUN_PREFIX } from '../../creation/jobs/rerun-line.js';
import type { CommandGroup } from './command-kit.js';

interface CreateFlags {
  describe?: string;
  generator?: GeneratorChoice;
  activate: boolean;
  replace?: boolean;
  wait: boolean;
  runAction?: string | true;
  input?: string;
  yes?: boolean;
}

/** Refuses combinations that cannot work before anything starts. */
function checkFlags(ctx: CliContext, specPath: string | undefined, flags: CreateFlags): void {
  if ((specPath === undefined) === (flags.describe === undefined)) {
    throw codedError('INVALID_INPUT', { input: 'Give a specification file or --describe "what the plugin should do"', problem: '(one of them).' });
  }
  if (flags.runAction !== undefined) {
    if (!flags.activate || !flags.wait) {
      throw codedError('INVALID_INPUT', { input: '--run-action', problem: 'needs the plugin loaded: leave out --no-activate and --no-wait.' });
    }
  }
  if (!flags.wait && ctx.mode === 'headless') {
    throw codedError('INVALID_INPUT', {
      input: '--no-wait',
      problem: 'needs --agent-url: the headless runtime stops when the command ends, and its job with it.',
    });
  }
}

/** `--run-action NAME` must name an action of the specification: checked before the job starts. */
function checkRunActionInSpec(spec: unknown, flags: CreateFlags): void {
  if (typeof flags.runAction !== 'string' || spec === undefined) return;
  pickAction(parsePluginSpec(spec), flags.runAction);
}

async function submit(b: Backend, spec: unknown, flags: CreateFlags): Promise<JobRecord> {
  const opts = {
    activate: flags.activate,
    ...(flags.generator ? { generator: flags.generator } : {}),
    ...(flags.replace ? { replace: true } : {}),
  };
  const answer = await b.create(flags.describe !== undefined ? { description: flags.describe, ...opts } : { specification: spec, ...opts });
  return answer.job;
}

/** Runs one of the new plugin's actions through the runtime and returns what it answered. */
async function tryAction(b: Backend, job: JobRecord, flags: CreateFlags): Promise<ActionAnswer> {
  if (job.result?.pluginStatus !== 'active') {
    const needs = job.result?.missingSettings.length ? ` (needs ${job.result.missingSettings.join(', ')})` : '';
    throw codedError('NEEDS_CONFIGURATION', { plugin: job.pluginName, action: 'run its actions', problem: `it is ${job.result?.pluginStatus ?? 'not installed'}${needs}` });
  }
  const action = pickAction(job.spec, flags.runAction === true ? undefined : flags.runAction);
  const message = flags.input ?? sampleMessage(action);
  const trial = await b.runAction({ action: action.actionName, message, plugin: job.pluginName });
  return { action: trial.action, message, success: trial.success, text: trial.text };
}

/**
 * A replace that asked for more permissions than were approved failed with APPROVAL_REQUIRED (the
 * earlier version kept): the request is shown and asked about (--yes for scripts); once approved,
 * the same specification is created again, once.
 */
async function approvedReplace(ctx: CliContext, b: Backend, spec: unknown, flags: CreateFlags, done: JobRecord): Promise<JobRecord> {
  if (done.status !== 'failed' || done.error?.code !== 'APPROVAL_REQUIRED') return done;
  const { request } = await b.approval({ plugin: done.pluginName });
  if (!request || !(await askApproval(request, flags, ctx.signal))) return done;
  const by = whoAmI();
  await b.approve({ plugin: request.packageName, digest: request.digest, activate: false, channel: 'cli', ...(by ? { by } : {}) });
  note(ctx.out, `Approved ${request.packageName}@${request.version}; creating it again.`);
  const again = await submit(b, spec, flags);
  return followJob(ctx, b, again.id);
}

/** create: a specification (file or sentence) becomes a built, tested, loaded plugin. */
export const createCommands: CommandGroup = (program, run) => {
  program
    .command('create')
    .description('create a plugin from a JSON specification, or from a sentence with --describe')
    .argument('[spec.json]', 'the specification (see examples/); relative to here, or to the package')
    .option('--describe <sentence>', 'describe the plugin instead, e.g. "a plugin that keeps a shopping list"')
    .addOption(new Option('--generator <kind>', 'who writes the code (default: the PLUGIN_DYNAMIC_GENERATOR setting)').choices(GENERATOR_CHOICES))
    .option('--no-activate', 'install the result but do not load it')
    .option('--replace', 'replace a plugin of the same name made by an earlier job (kept until the new one loads)')
    .option('--no-wait', 'return once the job is queued (--agent-url only; follow it with `status <job> --watch`)')
    .option('--run-action [ACTION]', 'then run one of its actions (the first by default) and print the answer')
    .option('--input <message>', 'the message for --run-action (default: a sample value for each parameter, as JSON)')
    .option('--yes', 'approve without asking when a replace asks for more permissions than were approved')
    .action((specPath: string | undefined, flags: CreateFlags) =>
      run(async (ctx) => {
        checkFlags(ctx, specPath, flags);
        const spec = specPath === undefined ? undefined : await readSpecFile(specPath);
        checkRunActionInSpec(spec, flags);
        const b = await ctx.backend();
        const stopSpare = await startSpareForCreate(ctx, spec);
        let job: JobRecord;
        try {
          job = await submit(b, spec, flags);
        } finally {
          // Taken over by the creation service once the runtime started; stopped here otherwise.
          await stopSpare();
        }
        note(ctx.out, `Creating ${job.pluginName} (job ${job.id.slice(0, 8)}, ${job.generator} generator)`);
        const rerun = job.log.find((entry) => entry.message.startsWith(RERUN_PREFIX));
        if (rerun) note(ctx.out, rerun.message);
        if (!flags.wait) {
          printResult(ctx.out, { job }, () => `Job ${job.id.slice(0, 8)} is ${job.status}; follow it with: plugin-dynamic status ${job.id.slice(0, 8)} --watch`);
          return;
        }
        let done: JobRecord;
        try {
          done = await followJob(ctx, b, job.id);
        } catch (error) {
          if (ctx.signal.aborted && b.mode === 'headless') {
            // The runtime ends with this command: cancel the job rather than leave it half done.
            await b.cancel({ id: job.id }).catch(() => undefined);
            note(ctx.out, `Cancelled job ${job.id.slice(0, 8)}.`);
          } else if (ctx.signal.aborted) {
            note(ctx.out, `The job keeps running on the agent: plugin-dynamic status ${job.id.slice(0, 8)} --watch`);
          }
          throw error;
        }
        done = await approvedReplace(ctx, b, spec, flags, done);
        const answer = flags.runAction !== undefined && done.status === 'succeeded' ? await tryAction(b, done, flags) : undefined;
        printResult(ctx.out, { job: done, ...(answer ? { answer } : {}) }, () =>
          [jobSummaryText(done), ...(answer ? [answerText(answer)] : [])].join('\n'),
        );
        if (done.status !== 'succeeded' || (answer && !answer.success)) process.exitCode = 1;
      }),
    );
};
