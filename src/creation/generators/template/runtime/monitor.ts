import type { IAgentRuntime } from '@elizaos/core';

/** What a monitor watches: the address in a setting, and how often. */
export interface MonitorConfig {
  plugin: string;
  urlSetting: string;
  everyMs: number;
}

export interface MonitorStatus {
  ok: boolean;
  status: number | null;
  error?: string;
  at: string;
  /** True when ok differs from the previous check. */
  changed: boolean;
}

const keyOf = (runtime: IAgentRuntime, c: MonitorConfig): string => c.plugin + '/monitor/' + String(runtime.agentId);

export async function lastStatus(runtime: IAgentRuntime, c: MonitorConfig): Promise<MonitorStatus | null> {
  return (await runtime.getCache<MonitorStatus>(keyOf(runtime, c))) ?? null;
}

/** Checks the address once (10 s at most), keeps the result in the agent cache and logs a change. */
export async function checkNow(runtime: IAgentRuntime, c: MonitorConfig): Promise<MonitorStatus> {
  const url = runtime.getSetting(c.urlSetting);
  const previous = await lastStatus(runtime, c);
  let status: MonitorStatus;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    status = { ok: false, status: null, error: 'set ' + c.urlSetting + ' to an http(s) address', at: new Date().toISOString(), changed: false };
  } else {
    try {
      const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(10_000), redirect: 'follow' });
      await response.body?.cancel();
      status = { ok: response.ok, status: response.status, at: new Date().toISOString(), changed: false };
    } catch (error) {
      const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      status = { ok: false, status: null, error: why, at: new Date().toISOString(), changed: false };
    }
  }
  status.changed = previous !== null && previous.ok !== status.ok;
  await runtime.setCache(keyOf(runtime, c), status);
  if (status.changed) runtime.logger.warn({ src: c.plugin }, c.urlSetting + ' is now ' + (status.ok ? 'up' : 'down') + (status.error ? ': ' + status.error : ''));
  return status;
}

export function describeStatus(s: MonitorStatus | null): string {
  if (!s) return 'Not checked yet.';
  return (s.ok ? 'Up' : 'Down') + (s.status ? ' (HTTP ' + String(s.status) + ')' : '') + (s.error ? ': ' + s.error : '') + ' at ' + s.at + (s.changed ? ', changed since the last check' : '') + '.';
}
