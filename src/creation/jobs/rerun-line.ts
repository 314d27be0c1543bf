/** The one line a job that repeats an earlier job's specification logs, and the CLI prints. */
export const RERUN_PREFIX = 'Same specification as job';

export function rerunLine(pluginName: string, earlierJobId: string): string {
  return `${RERUN_PREFIX} ${earlierJobId.slice(0, 8)}: replacing the ${pluginName} it made (kept until the new one loads).`;
}
