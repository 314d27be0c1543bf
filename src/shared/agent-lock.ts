import { rmSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from './process-alive.js';
import { forgetClosedSnapshot } from './state-mirror.js';

/*
 * One state per data folder: an agent that runs plugin-dynamic holds <dataDir>/agent.lock (its process,
 * its id, its server's address) for as long as its process lives. The headless CLI refuses that folder
 * with DATA_DIR_BUSY, naming the --agent-url that drives the running agent instead.
 */

export const AGENT_LOCK_FILE = 'agent.lock';
/** Set by the CLI on its own headless runtime, which takes cli.lock instead. */
export const HEADLESS_SETTING = 'PLUGIN_DYNAMIC_HEADLESS_CLI';

export interface AgentLock {
  pid: number;
  agentId: string;
  /** The server's address (http://127.0.0.1:<SERVER_PORT>), when the agent runs under a server. */
  serverUrl: string | undefined;
}

/** Marks the data folder as this agent's; a lock left by a dead process is replaced. */
export async function holdAgentLock(dataDir: string, agentId: string, env: NodeJS.ProcessEnv = process.env): Promise<AgentLock> {
  await mkdir(dataDir, { recursive: true });
  const port = env['SERVER_PORT'];
  const lock: AgentLock = { pid: process.pid, agentId, serverUrl: port ? `http://127.0.0.1:${port}` : undefined };
  await writeFile(join(dataDir, AGENT_LOCK_FILE), JSON.stringify(lock), { mode: 0o600 });
  // An agent may be given the CLI's own database: what the CLI last wrote of it is not to be read.
  await forgetClosedSnapshot(dataDir);
  const release = (): void => {
    // Best effort on exit: a lock whose process is gone is ignored anyway.
    try {
      rmSync(join(dataDir, AGENT_LOCK_FILE), { force: true });
    } catch {
      /* the folder went first */
    }
  };
  process.once('exit', release);
  return lock;
}

/** The live agent holding the data folder, if another process does. */
export async function agentHolding(dataDir: string): Promise<AgentLock | undefined> {
  const text = await readFile(join(dataDir, AGENT_LOCK_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let lock: Partial<AgentLock>;
  try {
    lock = JSON.parse(text) as Partial<AgentLock>;
  } catch {
    return undefined;
  }
  if (typeof lock.pid !== 'number' || lock.pid === process.pid || !processAlive(lock.pid)) return undefined;
  return { pid: lock.pid, agentId: String(lock.agentId ?? ''), serverUrl: typeof lock.serverUrl === 'string' ? lock.serverUrl : undefined };
}

/** The plugin's init: an agent (not the CLI's headless runtime) marks its data folder as its own. */
export async function lockAgentDataDir(runtime: { agentId: string; getSetting(key: string): unknown }, dataDir: string): Promise<void> {
  const headless = runtime.getSetting(HEADLESS_SETTING);
  if (headless === 'true' || headless === true) return;
  await holdAgentLock(dataDir, runtime.agentId);
}
