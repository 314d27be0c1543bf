import type { JobRecord } from './job-record.js';

type Finding = NonNullable<NonNullable<NonNullable<JobRecord['validation']>['review']>['findings']>[number];

/** The review's advice on a job, one line each: what it found that no failing test confirmed. */
export function reviewAdviceLines(job: JobRecord, limit = 5): string[] {
  const findings: Finding[] = job.validation?.review?.findings ?? [];
  const advice = findings.filter((f) => f.status !== 'confirmed');
  return advice.slice(0, limit).map((f) => {
    const why = f.status === 'unconfirmed' ? ` (not confirmed: ${f.reason ?? 'its test did not show it'})` : '';
    return `${f.kind}${f.severity ? `, ${f.severity}` : ''}: ${f.message}${f.file ? ` [${f.file}]` : ''}${why}`;
  });
}

/** "2 confirmed by failing tests (fixed), 3 advice": a job's review in a few words. */
export function reviewCountsText(job: JobRecord): string | undefined {
  const findings: Finding[] = job.validation?.review?.findings ?? [];
  if (findings.length === 0) return undefined;
  const fed = job.iterations.flatMap((i) => i.reviewFindings ?? []).filter((f) => f.status === 'confirmed').length;
  const advice = findings.filter((f) => f.status !== 'confirmed').length;
  return `${fed} finding(s) confirmed by failing tests over the iterations, ${advice} kept as advice (never blocking)`;
}
