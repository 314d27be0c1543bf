import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { codedError } from '../errors.js';
import { agentHolding } from '../shared/agent-lock.js';
import { processAlive as alive } from '../shared/process-alive.js';

/**
 * Holds <dataDir>/cli.lock while a headless runtime runs: PGLite must never have two processes on
 * one database folder. A lock left by a process that died is taken over.
 * @returns the release function (idempotent).
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  await refuseAgentsFolder(dataDir);
  const file = join(dataDir, 'cli.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw codedError('DATA_DIR_BUSY', { holder: `Process ${holder}`, dataDir });
      }
      await rm(file, { force: true });
    }
  }
  throw codedError('DATA_DIR_BUSY', { holder: `Another process (the lock ${file} could not be taken)`, dataDir });
}

/**
 * A running agent holds this folder: its database is not the CLI's, so a headless runtime here would
 * keep a second state. Refused, naming the --agent-url that drives the agent instead.
 */
async function refuseAgentsFolder(dataDir: string): Promise<void> {
  const agent = await agentHolding(dataDir);
  if (!agent) return;
  const url = agent.serverUrl ?? 'http://127.0.0.1:3000';
  throw codedError('DATA_DIR_BUSY', { holder: `The running agent ${agent.agentId} (process ${agent.pid}; drive it with --agent-url ${url})`, dataDir }, { details: { agentUrl: url, pid: agent.pid } });
}
