import type { IAgentRuntime, Logger, Plugin } from '@elizaos/core';
import { codedError, PluginDynamicError } from '../../errors.js';
import { bounded } from '../../shared/bounded.js';
import { KeyedMutex } from '../../shared/keyed-mutex.js';
import { guardPlugin } from './component-guard.js';
import { findConflicts } from './conflicts.js';
import { removeLedger, type RemovalReport } from './remove-ledger.js';
import { captureSnapshot, diffSnapshot, ledgerSize, type Ledger } from './runtime-snapshot.js';

type LoaderLogger = Pick<Logger, 'info' | 'warn'>;

export interface LoadReport {
  pluginName: string;
  /** How many entries the plugin added to the runtime's collections. */
  components: number;
  durationMs: number;
}

const SRC = 'plugin-dynamic:loader';

/** Rejections nobody handled while a load was running: plugin code is the likely source. */
const strayRejections = new Set<(reason: unknown) => void>();
function onStrayRejection(reason: unknown): void {
  for (const listener of strayRejections) listener(reason);
}

async function within<T>(promise: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  try {
    return await bounded(promise, { ms, onTimeout: () => codedError('LOAD_TIMEOUT', { what, ms }), signal });
  } catch (error) {
    if (signal?.aborted) throw codedError('LOAD_FAILED', { subject: what, problem: 'was cancelled.' }, { cause: signal.reason });
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Loads plugins into a live 1.7 runtime and takes them out again. Load is all or nothing: a clash,
 * a throwing or hanging init, or a service that fails or hangs at start rolls everything back,
 * including the `plugins` entry (so a retry is not skipped as a duplicate). Operations on one
 * plugin run one at a time; different plugins load concurrently.
 */
export class PluginLoader {
  private readonly ledgers = new Map<string, Ledger>();
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly runtime: IAgentRuntime,
    private readonly opts: { loadTimeoutMs: number; logger: LoaderLogger },
  ) {}

  isLoaded(pluginName: string): boolean {
    return this.ledgers.has(pluginName);
  }

  loadedNames(): string[] {
    return [...this.ledgers.keys()];
  }

  load(plugin: Plugin, opts: { signal?: AbortSignal } = {}): Promise<LoadReport> {
    return this.mutex.run(plugin.name, () => this.loadNow(plugin, opts.signal));
  }

  unload(pluginName: string): Promise<RemovalReport> {
    return this.mutex.run(pluginName, async () => {
      const ledger = this.ledgers.get(pluginName);
      if (!ledger) {
        // Not a move of the lifecycle table, whose template names the allowed moves: there are none here.
        throw new PluginDynamicError('ILLEGAL_TRANSITION', `${pluginName} is not loaded by plugin-dynamic.`);
      }
      const report = await removeLedger(this.runtime, ledger, { stopTimeoutMs: this.opts.loadTimeoutMs });
      this.ledgers.delete(pluginName);
      for (const problem of report.residue) this.opts.logger.warn({ src: SRC, plugin: pluginName }, problem);
      return report;
    });
  }

  private async loadNow(plugin: Plugin, signal: AbortSignal | undefined): Promise<LoadReport> {
    signal?.throwIfAborted();
    const started = Date.now();
    const conflicts = findConflicts(this.runtime, plugin);
    if (conflicts.length > 0) {
      throw codedError('COMPONENT_CONFLICT', { plugin: plugin.name, step: 'load', conflicts: `the runtime already has ${conflicts.join(', ')}`, after: '' }, { details: { conflicts } });
    }
    const guarded = guardPlugin(plugin, this.opts.logger);
    const before = captureSnapshot(this.runtime);
    let stray: unknown;
    const listener = (reason: unknown): void => {
      stray ??= reason;
    };
    if (strayRejections.size === 0) process.on('unhandledRejection', onStrayRejection);
    strayRejections.add(listener);
    // The service promises are taken before registration starts: core rejects a failed start only
    // through a promise that exists by then, and forgets it after. Handlers go on each at once: a
    // service whose start rejects must never become an unhandled rejection (it would end the process).
    const services = (plugin.services ?? [])
      .map((s) => (s as { serviceType?: string }).serviceType)
      .filter((t): t is string => typeof t === 'string' && t !== '')
      .map((type) => this.runtime.getServiceLoadPromise(type as never));
    for (const service of services) service.catch(() => undefined);
    const registration = this.runtime.registerPlugin(guarded);
    try {
      await within(registration, this.opts.loadTimeoutMs, `${plugin.name} init`, signal);
      const remaining = Math.max(1, this.opts.loadTimeoutMs - (Date.now() - started));
      await within(Promise.all(services), remaining, `${plugin.name} services`, signal);
      // Give rejections fired during the load a turn to surface.
      await new Promise((resolve) => setImmediate(resolve));
      if (stray !== undefined) throw stray instanceof Error ? stray : new Error(`unhandled rejection: ${JSON.stringify(stray) ?? typeof stray}`);
    } catch (error) {
      const ledger = diffSnapshot(this.runtime, before);
      await removeLedger(this.runtime, ledger, { stopTimeoutMs: this.opts.loadTimeoutMs });
      // An init that is still running may register more later; take that out when it settles.
      const rolledBack = captureSnapshot(this.runtime);
      void registration.then(
        () => this.removeLate(rolledBack, plugin.name),
        () => this.removeLate(rolledBack, plugin.name),
      );
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PluginDynamicError && error.code === 'LOAD_TIMEOUT') {
        // The timeout's own message, with the rollback added.
        throw new PluginDynamicError('LOAD_TIMEOUT', `${message} It was rolled back.`, { cause: error });
      }
      throw codedError('LOAD_FAILED', { subject: plugin.name, problem: `failed to load and was rolled back: ${message}` }, { cause: error });
    } finally {
      strayRejections.delete(listener);
      if (strayRejections.size === 0) process.off('unhandledRejection', onStrayRejection);
    }
    const ledger = diffSnapshot(this.runtime, before);
    this.ledgers.set(plugin.name, ledger);
    this.opts.logger.info({ src: SRC, plugin: plugin.name }, `Loaded (${ledgerSize(ledger)} runtime entries).`);
    return { pluginName: plugin.name, components: ledgerSize(ledger), durationMs: Date.now() - started };
  }

  private async removeLate(snapshot: ReturnType<typeof captureSnapshot>, pluginName: string): Promise<void> {
    const late = diffSnapshot(this.runtime, snapshot);
    if (ledgerSize(late) === 0) return;
    this.opts.logger.warn({ src: SRC, plugin: pluginName }, 'A rolled-back init finished late; removing what it registered.');
    await removeLedger(this.runtime, late, { stopTimeoutMs: this.opts.loadTimeoutMs });
  }
}
