import { pickJob } from '../../creation/jobs/job-store.js';
import type { Backend } from '../backend.js';
import { lockDataDir } from '../data-dir-lock.js';
import { readClosedSnapshot, type ClosedSnapshot } from './closed-snapshot.js';
import { fastJobs, listedJobs } from './fast-jobs.js';
import { fastPluginList } from './fast-plugins.js';
import { nextRuntimeConfig } from './next-runtime-config.js';

/** PLUGIN_DYNAMIC_CLI_READS=runtime: every command starts the runtime, as before the snapshot existed. */
export const READS_SETTING = 'PLUGIN_DYNAMIC_CLI_READS';

/**
 * The headless backend. The data folder is locked first, exactly as before (an agent or another
 * command holding it is refused the same way); `list`, `jobs` and `status` then answer from the
 * closed snapshot when it says what a runtime would (fast-plugins.ts, fast-jobs.ts), and every
 * other call, or a read the snapshot cannot answer, starts the runtime once and goes to it.
 */
export async function readFirstBackend(dataDir: string, signal: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<Backend> {
  const release = await lockDataDir(dataDir);
  let opened: Promise<Backend> | undefined;
  const runtime = (): Promise<Backend> => {
    opened ??= import('../headless-backend.js').then(({ headlessBackend }) => headlessBackend(dataDir, signal, release));
    return opened;
  };
  let read: Promise<{ snapshot: ClosedSnapshot; config: NonNullable<ReturnType<typeof nextRuntimeConfig>> } | undefined> | undefined;
  const snapshot = async () => {
    // Once the runtime runs, the state is its own.
    if (opened || env[READS_SETTING] === 'runtime') return undefined;
    read ??= readClosedSnapshot(dataDir).then((s) => {
      const config = s && nextRuntimeConfig(dataDir, env, s.inherited);
      return s && config ? { snapshot: s, config } : undefined;
    });
    return read;
  };
  const reads: Pick<Backend, 'list' | 'jobs' | 'job' | 'mode' | 'watchJob' | 'close'> = {
    list: async () => {
      const s = await snapshot();
      return (s && fastPluginList(s.snapshot, s.config)) ?? (await runtime()).list();
    },
    jobs: async () => {
      const s = await snapshot();
      const jobs = s && fastJobs(s.snapshot, s.config);
      return jobs ? listedJobs(jobs) : (await runtime()).jobs();
    },
    job: async (input) => {
      const s = await snapshot();
      const jobs = s && fastJobs(s.snapshot, s.config);
      return jobs ? pickJob(jobs, input.id) : (await runtime()).job(input);
    },
    mode: 'headless',
    watchJob: async (id, onUpdate, watchSignal) => (await runtime()).watchJob(id, onUpdate, watchSignal),
    close: async () => {
      if (!opened) return release();
      // A runtime that failed to start has released the lock already.
      const backend = await opened.catch(() => undefined);
      await backend?.close();
    },
  };
  // Every other operation goes to the runtime's backend. A proxy rather than the operation table,
  // whose import (every answer schema) costs more than the rest of the fast path.
  return new Proxy(reads as Backend, {
    get(target, name, receiver) {
      if (Reflect.has(target, name)) return Reflect.get(target, name, receiver) as unknown;
      // Not a thenable: this object is the value of a promise.
      if (typeof name !== 'string' || name === 'then') return undefined;
      return async (input?: unknown) => {
        const backend = (await runtime()) as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
        return backend[name]?.(input);
      };
    },
  });
}
