import { PluginDynamicError } from '../errors.js';
import { callsOf, servicesOf } from '../operations/index.js';
import { forgetClosedSnapshot } from '../shared/state-mirror.js';
import type { Backend } from './backend.js';
import { writeClosedSnapshot, type SnapshotSource } from './fast/closed-snapshot.js';
import { INHERITED_SETTINGS } from './fast/next-runtime-config.js';
import { startHeadlessRuntime } from './headless-runtime.js';

/**
 * The services in a runtime of the CLI's own, on PGLite in the data folder. The caller holds the
 * folder's lock (data-dir-lock.ts) and hands over its `release`, called when the backend closes.
 * `signal` (Ctrl-C) reaches the long calls that take one. The closed snapshot (state-mirror.ts) is
 * removed before the database opens and written again once the runtime has stopped cleanly.
 */
export async function headlessBackend(dataDir: string, signal: AbortSignal, release: () => Promise<void>): Promise<Backend> {
  let runtime: Awaited<ReturnType<typeof startHeadlessRuntime>>;
  try {
    await forgetClosedSnapshot(dataDir);
    runtime = await startHeadlessRuntime(dataDir);
  } catch (error) {
    await release();
    throw error;
  }
  const services = servicesOf(runtime);
  if (!services) {
    await release();
    throw new PluginDynamicError('INTERNAL', 'The plugin-dynamic services did not start.');
  }
  const { creation, management } = services;
  // Each operation's handler, called directly with the command's input and its signal.
  const calls = callsOf((op) => (input) => op.handler(services, input, signal));
  let closing: Promise<void> | undefined;
  return {
    ...calls,
    mode: 'headless',
    watchJob: async (id, onUpdate, watchSignal) => {
      const job = creation.getJob(id);
      const off = creation.onJobChange((changed) => {
        if (changed.id === job.id) onUpdate(changed);
      });
      try {
        onUpdate(creation.getJob(job.id));
        return await creation.waitForJob(job.id, { signal: watchSignal });
      } finally {
        off();
      }
    },
    // Stopping the services lets a running job end and its records reach the database first.
    close: () =>
      (closing ??= (async () => {
        try {
          // The runtime logs model calls without awaiting the writes; a query queued behind them
          // lets them land before the database closes.
          await runtime.getCache('plugin-dynamic:cli:flush');
          // Views as the running services give them (loaded plugins' settings included); jobs after
          // the stop, which ends a running one.
          const records = management.records();
          const views = new Map(management.list().map((v) => [v.packageName, v]));
          const plugins = records.flatMap((record) => {
            const view = views.get(record.packageName);
            return view ? [{ record, view }] : [];
          });
          const inherited = inheritedSettings(runtime);
          await runtime.stop();
          await runtime.close();
          // A job ending during the stop may have installed a plugin: then no snapshot, the next
          // command starts the runtime. Nor when jobs live in a fleet's PostgreSQL: workers change them.
          if (!creation.fleetInUse && JSON.stringify(management.records()) === JSON.stringify(records)) {
            const snapshot: SnapshotSource = { inherited, plugins, jobs: creation.listJobs({ limit: Number.MAX_SAFE_INTEGER }) };
            await writeClosedSnapshot(dataDir, snapshot);
          }
        } finally {
          await release();
        }
      })()),
  };
}

/** The raw values the next runtime inherits from this one's agent record, for the fast readers. */
function inheritedSettings(runtime: { getSetting(key: string): unknown }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of INHERITED_SETTINGS) {
    const value = runtime.getSetting(key);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
  }
  return out;
}
