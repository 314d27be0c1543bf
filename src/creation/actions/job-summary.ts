import { timingText, type JobRecord } from '../jobs/job-record.js';
import { diagnosticLine } from '../pipeline/feedback.js';
import { reviewAdviceLines } from '../jobs/review-advice.js';

/** Which components work and which are scaffolds that say they are not implemented: short, for chat. */
function componentLines(result: NonNullable<JobRecord['result']>): string[] {
  const components = result.components ?? [];
  const lines: string[] = [];
  if (components.length) {
    const working = components.filter((c) => c.working);
    const scaffolds = components.filter((c) => !c.working);
    lines.push(`Working: ${working.length ? working.map((c) => `${c.name} (${c.recipe})`).join(', ') : 'none'}`);
    if (scaffolds.length) {
      lines.push(`Scaffolds, not implemented yet (edit src/ or create it again with a model): ${scaffolds.map((c) => c.name).join(', ')}`);
    }
  }
  if (result.unusedDependencies?.length) lines.push(`Unused dependencies (declared, never imported): ${result.unusedDependencies.join(', ')}`);
  return lines;
}

/** The readable status of a job, as the product's users expect to see it in conversation. */
export function jobSummary(job: JobRecord, logLines = 5): string {
  const lines = [`Plugin creation ${job.id.slice(0, 8)} (${job.pluginName}): ${job.status}`];
  if (job.status === 'running') {
    lines.push(`Phase: ${job.phase ?? 'starting'}, iteration ${job.iteration} of ${job.maxIterations}, ${job.progress}%`);
  }
  if (job.tests) lines.push(`Tests: ${job.tests.passed}/${job.tests.total} passed`);
  if (job.validation?.score !== undefined) lines.push(`Review score: ${job.validation.score}`);
  const advice = reviewAdviceLines(job, 3);
  if (advice.length) lines.push('Review advice (not blocking):', ...advice.map((a) => `- ${a}`));
  if (job.timing) lines.push(`Time: ${timingText(job.timing)}`);
  if (job.result) {
    const needs = job.result.missingSettings.length ? `; needs ${job.result.missingSettings.join(', ')}` : '';
    lines.push(`Plugin: ${job.result.packageName} is ${job.result.pluginStatus}${needs}`);
    lines.push(...componentLines(job.result));
  }
  if (job.error) lines.push(`Error (${job.error.code}): ${job.error.message}`);
  const lastFailure = [...job.iterations].reverse().find((i) => i.failedAt);
  if (job.status === 'failed' && lastFailure) {
    lines.push(`Iteration ${lastFailure.iteration} failed at ${lastFailure.failedAt}:`);
    for (const d of lastFailure.diagnostics.slice(0, 5)) lines.push(`- ${diagnosticLine(d as Parameters<typeof diagnosticLine>[0])}`);
  }
  const recent = job.log.slice(-logLines).map((l) => `- ${l.message}`);
  if (recent.length) lines.push('Recent log:', ...recent);
  return lines.join('\n');
}
