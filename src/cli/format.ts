import { timingText, type JobRecord } from '../creation/jobs/job-record.js';
import { diagnosticLine } from '../creation/pipeline/feedback.js';
import { reviewAdviceLines, reviewCountsText } from '../creation/jobs/review-advice.js';
import type { Diagnostic } from '../creation/steps/diagnostics.js';
import { pluginLine, trustLine } from '../management/actions/plugin-summary.js';
import { signatureTag } from '../management/install/signature-check.js';
import type { PluginView } from '../management/plugin-view.js';
import type { RegistryEntryAnswer as RegistryEntry, SearchAnswerRecord as SearchAnswer } from '../operations/index.js';
import type { DoctorCheck } from './doctor-checks.js';
import { table } from './output.js';

/*
 * Every line a person reads, in one place: both backends hand back the same data, so headless
 * and --agent-url print the same text.
 */

export { pluginLine, trustLine };

const shortId = (id: string): string => id.slice(0, 8);

export function searchText(answer: SearchAnswer): string {
  // "yes" only when npm confirmed it; the registry's flag alone is a claim, checked again at install.
  const v1 = (h: SearchAnswer['hits'][number]) =>
    !h.entry.supportsV1 ? 'no' : h.npm === undefined || h.npm.status === 'verified' ? 'yes' : h.npm.status === 'refused' ? 'no' : 'unverified';
  const rows = answer.hits.map((h) => [h.entry.name, v1(h), h.entry.description.slice(0, 70)]);
  const body = rows.length ? table([['PLUGIN', '1.X', 'DESCRIPTION'], ...rows]) : 'No ElizaOS 1.x plugin matches.';
  const lines = [body, ...(answer.warning ? [`(${answer.warning})`] : []), ...hiddenLine(answer)];
  return lines.join('\n');
}

/** How many matching entries a 1.x search did not offer, and how to see them. */
function hiddenLine(answer: SearchAnswer): string[] {
  if (!answer.hidden) return [];
  const n = answer.hidden;
  return [`${n} more ${n === 1 ? 'entry matches' : 'entries match'} but ${n === 1 ? 'is' : 'are'} not offered (no usable ElizaOS 1.x release): search again with --all to see ${n === 1 ? 'it' : 'them'}.`];
}

export function entryText(entry: RegistryEntry): string {
  const version = entry.npmV1Version ? ` (npm ${entry.npmV1Version})` : entry.gitV1Branch ? ` (branch ${entry.gitV1Branch})` : '';
  return [
    entry.name,
    entry.description,
    `ElizaOS 1.x: ${entry.supportsV1 ? 'yes' : 'no'}${version}`,
    entry.repository ? `Repository: https://github.com/${entry.repository}` : '',
    entry.topics.length ? `Topics: ${entry.topics.join(', ')}` : '',
    `Install: plugin-dynamic install ${entry.name}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function pluginTable(plugins: PluginView[]): string {
  if (plugins.length === 0) return 'No plugins are installed.';
  const rows = plugins.map((p) => [
    p.packageName,
    p.version,
    p.status,
    p.trust,
    signatureTag(p.signatures),
    p.isolation,
    p.missingSettings.join(', ') || (p.status === 'error' && p.lastError ? `error: ${p.lastError.message.slice(0, 60)}` : ''),
  ]);
  return table([['PLUGIN', 'VERSION', 'STATUS', 'TRUST', 'SIGNATURE', 'RUNS', 'NEEDS'], ...rows]);
}

/** After configure: the names stored, never their values. */
export function configuredText(names: string[], view: PluginView): string {
  return `Stored ${names.join(', ')} for ${pluginLine(view)}`;
}

export function jobLine(job: JobRecord): string {
  const where = job.status === 'running' ? ` (${job.phase ?? 'starting'}, iteration ${job.iteration}, ${job.progress}%)` : '';
  return `${shortId(job.id)}  ${job.createdAt.slice(0, 19).replace('T', ' ')}  ${job.pluginName}  ${job.status}${where}`;
}

export function jobsText(jobs: JobRecord[]): string {
  return jobs.length ? jobs.map(jobLine).join('\n') : 'No creation jobs yet.';
}

/** Which components of a template job work and which are scaffolds that say they are not implemented. */
function componentLines(components: NonNullable<JobRecord['result']>['components'], unused: string[] | undefined): string[] {
  if (!components?.length) return [];
  const working = components.filter((c) => c.working);
  const scaffolds = components.filter((c) => !c.working);
  const lines = [`Working:     ${working.length ? working.map((c) => `${c.name} (${c.recipe})`).join(', ') : 'none'}`];
  if (scaffolds.length) {
    lines.push(`Scaffolds:   ${scaffolds.map((c) => c.name).join(', ')} (not implemented yet: edit src/ or create again with --generator model)`);
  }
  if (unused?.length) lines.push(`Unused:      ${unused.join(', ')} (declared, never imported)`);
  return lines;
}

/** What a person wants after a creation: did it work, how well, where is it, what does it need. */
export function jobSummaryText(job: JobRecord): string {
  const iterations = job.iterations.length;
  const lines = [
    `${job.pluginName}: ${job.status}${iterations ? ` after ${iterations} iteration${iterations === 1 ? '' : 's'}` : ''} (job ${shortId(job.id)}, ${job.generator} generator)`,
  ];
  if (job.status === 'running' || job.status === 'queued') {
    lines.push(`Now:         ${job.phase ?? job.status}, iteration ${job.iteration} of ${job.maxIterations}, ${job.progress}%`);
  }
  if (job.tests) lines.push(`Tests:       ${job.tests.passed}/${job.tests.total} passed`);
  if (job.validation) {
    const score = job.validation.score === undefined ? '' : `, review score ${job.validation.score}/100`;
    lines.push(`Validation:  ${job.validation.ok ? 'passed' : 'failed'}${score}`);
  }
  const review = reviewCountsText(job);
  if (review) lines.push(`Review:      ${review}`);
  for (const advice of reviewAdviceLines(job)) lines.push(`  advice: ${advice}`);
  if (job.timing) lines.push(`Time:        ${timingText(job.timing)}`);
  if (job.result) {
    lines.push(`Plugin:      ${job.result.packageName} is ${job.result.pluginStatus}`, `Installed:   ${job.result.installDir}`);
    if (job.result.missingSettings.length) {
      lines.push(`Needs:       ${job.result.missingSettings.join(', ')} (plugin-dynamic configure ${job.result.packageName} --secret NAME)`);
    }
    lines.push(...componentLines(job.result.components, job.result.unusedDependencies));
  }
  const lastFailure = [...job.iterations].reverse().find((i) => i.failedAt);
  if (job.status === 'failed' && lastFailure) {
    lines.push(`Iteration ${lastFailure.iteration} failed at ${lastFailure.failedAt}:`);
    for (const d of lastFailure.diagnostics.slice(0, 5)) lines.push(`  - ${diagnosticLine({ ...d, tool: d.tool as Diagnostic['tool'] })}`);
  }
  if (job.error) lines.push(`error ${job.error.code}: ${job.error.message}`);
  return lines.join('\n');
}

/** `status <job>`: the summary plus the recent log. */
export function jobStatusText(job: JobRecord, logLines = 10): string {
  const log = job.log.slice(-logLines).map((l) => `  ${l.at.slice(11, 19)} ${l.message}`);
  return [jobSummaryText(job), ...(log.length ? ['Log:', ...log] : [])].join('\n');
}

export interface ActionAnswer {
  action: string;
  message: string;
  success: boolean;
  text: string;
}

export function answerText(answer: ActionAnswer): string {
  return [`Action:      ${answer.action}${answer.success ? '' : ' (failed)'}`, `Message:     ${answer.message}`, `Answer:      ${answer.text}`].join('\n');
}

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export function doctorText(checks: DoctorCheck[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  return checks
    .map((c) => {
      const line = `${MARK[c.status]}  ${c.check.padEnd(width)}  ${c.detail}`;
      return c.hint && c.status !== 'ok' ? `${line}\n      ${' '.repeat(width)}  → ${c.hint}` : line;
    })
    .join('\n');
}
