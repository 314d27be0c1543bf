import type { IAgentRuntime } from '@elizaos/core';
import { toPluginDynamicError, type PluginDynamicError } from '../errors.js';
import type { KeyedMutex } from '../shared/keyed-mutex.js';
import { budgetError } from './host/agent-bridge.js';
import { RestartBackoff } from './host/index.js';
import type { BudgetRefusal } from './host/plugin-budgets.js';
import type { InstalledPlugins } from './state/installed-plugins.js';
import type { PluginRecord } from './state/plugin-record.js';

const LOG_SRC = 'plugin-dynamic:management';

export interface RestartSupervisorOptions {
  runtime: IAgentRuntime;
  installed: InstalledPlugins;
  /** The service's per-plugin lock: a restart never overlaps another operation on the plugin. */
  mutex: KeyedMutex;
  maxRestarts: number;
  baseDelayMs: number;
  /** True once the service is stopping: nothing is restarted then. */
  isStopping: () => boolean;
  /** Takes a plugin whose host died out of the runtime and ends what is left of its host. */
  clearAfterCrash: (record: PluginRecord) => Promise<void>;
  /** Spends one restart of the plugin's budget (per hour and per day, across agent restarts); the refusal when it is used up. */
  spendRestart: (packageName: string) => BudgetRefusal | undefined;
  /** Activates the plugin again (as a restart, which keeps the backoff's count). */
  restart: (packageName: string) => Promise<unknown>;
}

/**
 * Restarts isolated plugins whose host died on its own: the plugin moves to `error` naming the
 * reason, and is started again after a growing delay until the restart limit, then left in error.
 */
export class RestartSupervisor {
  private readonly backoff: RestartBackoff;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: RestartSupervisorOptions) {
    this.backoff = new RestartBackoff({ maxRestarts: opts.maxRestarts, baseDelayMs: opts.baseDelayMs });
  }

  /** A person activated the plugin: its restarts are counted afresh. */
  reset(packageName: string): void {
    this.backoff.reset(packageName);
  }

  /** A host died on its own: its stubs leave the runtime, and a restart is scheduled if any is left. Never rejects. */
  async hostDied(packageName: string, reason: string): Promise<void> {
    try {
      await this.opts.mutex.run(packageName, async () => {
        const record = this.opts.installed.get(packageName);
        if (!record || record.status !== 'active' || this.opts.isStopping()) return;
        await this.opts.clearAfterCrash(record);
        await this.schedule(record, `${packageName}'s host ${reason}.`);
      });
    } catch (error) {
      this.opts.runtime.logger.error({ src: LOG_SRC, plugin: packageName }, `Could not handle the end of its host: ${toPluginDynamicError(error).message}`);
    }
  }

  /**
   * A plugin broke a bound a restart cannot cure (its storage quota): its stubs leave the runtime, its
   * host ends, and it stays in error with the reason until a person activates it again.
   */
  async stopForGood(packageName: string, error: PluginDynamicError): Promise<void> {
    await this.opts.mutex.run(packageName, async () => {
      const record = this.opts.installed.get(packageName);
      if (!record || record.status !== 'active' || this.opts.isStopping()) return;
      await this.opts.clearAfterCrash(record);
      const current = this.opts.installed.get(packageName) ?? record;
      await this.opts.installed.put({ ...current, status: 'error', lastError: { code: error.code, message: error.message, at: new Date().toISOString() } });
      this.opts.runtime.logger.warn({ src: LOG_SRC, plugin: packageName, code: error.code }, `${error.message} It stays stopped until it is activated again.`);
    });
  }

  /** Cancels every pending restart (at shutdown). */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Records the failure in `error` and starts the plugin again after the next backoff delay, if any is left. */
  private async schedule(record: PluginRecord, message: string): Promise<void> {
    const { installed, runtime } = this.opts;
    let delay = this.backoff.next(record.packageName);
    let next = delay === undefined ? ` It was restarted ${this.backoff.count(record.packageName)} time(s); it stays in error.` : ` Restarting in ${delay} ms.`;
    const refusal = delay === undefined ? undefined : this.opts.spendRestart(record.packageName);
    if (refusal) {
      delay = undefined;
      next = ` ${budgetError(record.packageName, refusal).message} It stays in error.`;
    }
    const current = installed.get(record.packageName) ?? record;
    await installed.put({ ...current, status: 'error', lastError: { code: 'HOST_DIED', message: message + next, at: new Date().toISOString() } });
    runtime.logger.warn({ src: LOG_SRC, plugin: record.packageName, code: 'HOST_DIED' }, message + next);
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.restartAfterCrash(record.packageName);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private async restartAfterCrash(packageName: string): Promise<void> {
    const { installed, runtime } = this.opts;
    const record = installed.get(packageName);
    if (!record || record.status !== 'error' || record.lastError?.code !== 'HOST_DIED' || this.opts.isStopping()) return;
    try {
      await this.opts.restart(packageName);
      runtime.logger.info({ src: LOG_SRC, plugin: packageName }, 'Restarted after its host died.');
    } catch (error) {
      const e = toPluginDynamicError(error);
      const failed = installed.get(packageName);
      if (!failed || failed.status !== 'error' || this.opts.isStopping()) return;
      await this.opts.mutex
        .run(packageName, () => this.schedule(failed, `${packageName} could not be restarted: ${e.message.replace(/\.?$/, '.')}`))
        .catch((again: unknown) => runtime.logger.error({ src: LOG_SRC, plugin: packageName }, `Could not record the failed restart: ${toPluginDynamicError(again).message}`));
    }
  }
}
