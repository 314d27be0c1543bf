import type { JobRecord } from '../creation/jobs/job-record.js';
import type { Backend } from './backend.js';
import type { CliContext } from './context.js';
import { createProgressView } from './job-progress.js';

/** Shows a job's progress until it ends, the same way for both backends. */
export async function followJob(ctx: CliContext, backend: Backend, id: string): Promise<JobRecord> {
  const view = createProgressView({ json: ctx.out.json });
  try {
    return await backend.watchJob(id, (job) => view.update(job), ctx.signal);
  } finally {
    view.stop();
  }
}
