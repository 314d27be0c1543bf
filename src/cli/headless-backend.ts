import { PluginDynamicError } from '../errors.js';
import { callsOf, servicesOf } from '../operations/index.js';
import type { Backend } from './backend.js';
import { lockDataDir } from './data-dir-lock.js';
import { startHeadlessRuntime } from './headless-runtime.js';

/**
 * The services in a runtime of the CLI's own, on PGLite in the data folder, held under a lock for
 * as long as the command runs. `signal` (Ctrl-C) reaches the long calls that take one.
 */
export async function headlessBackend(dataDir: string, signal: AbortSignal): Promise<Backend> {
  const release = await lockDataDir(dataDir);
  let runtime: Awaited<ReturnType<typeof startHeadlessRuntime>>;
  try {
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
  const { creation } = services;
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
          await runtime.stop();
          await runtime.close();
        } finally {
          await release();
        }
      })()),
  };
}
