import { readdirSync, readlinkSync } from 'node:fs';

/** Processes whose working folder is inside a folder (a job's tools run with cwd = its workspace). */
export function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The same, after giving killed process trees a moment to go (a sandbox's namespace ends after its parent). */
export async function settledProcessesIn(dir: string, waitMs = 5_000): Promise<number[]> {
  for (let waited = 0; waited < waitMs && processesIn(dir).length > 0; waited += 100) await new Promise((r) => setTimeout(r, 100));
  return processesIn(dir);
}
