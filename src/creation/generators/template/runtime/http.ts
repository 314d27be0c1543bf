import type { IAgentRuntime } from '@elizaos/core';
import { no, ok, type Outcome } from './reply.js';

export interface ApiCall {
  baseUrlSetting: string;
  keySetting?: string;
  /** Host names the specification declares in permissions.network. */
  hosts: readonly string[];
  timeoutMs?: number;
  /** The public address of a well-known API, used while the setting is not set. */
  defaultBaseUrl?: string;
}

const PATH_PARAM = /^(path|endpoint|resource|route|id|slug|repo|repository|username|user|owner|name)$/i;

/** The address for a call: path-like values become the path, the others the query. */
export function buildUrl(base: string, values: Record<string, unknown>): URL {
  const url = new URL(base.endsWith('/') ? base : base + '/');
  const segments: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null || name === 'method' || name === 'body') continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    const text = String(value);
    if (PATH_PARAM.test(name)) segments.push(...text.split('/').filter(Boolean).map((s) => encodeURIComponent(s)));
    else url.searchParams.set(name, text);
  }
  url.pathname = url.pathname.replace(/\/$/, '') + (segments.length ? '/' + segments.join('/') : '');
  return url;
}

/** A short readable account of a JSON answer: scalars as they are, arrays counted, objects by their keys. */
export function summarise(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return value.length > 120 ? value.slice(0, 117) + '...' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const head = value.slice(0, 3).map((v) => summarise(v, depth + 1));
    return String(value.length) + ' item' + (value.length === 1 ? '' : 's') + (head.length ? ': ' + head.join('; ') + (value.length > 3 ? '; ...' : '') : '');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (depth >= 2) return '{' + entries.map(([k]) => k).slice(0, 6).join(', ') + (entries.length > 6 ? ', ...' : '') + '}';
  return entries
    .slice(0, 8)
    .map(([k, v]) => k + ': ' + summarise(v, depth + 1))
    .join(depth === 0 ? '\n' : ', ') + (entries.length > 8 ? (depth === 0 ? '\n' : ', ') + '...' : '');
}

/** Calls the configured API with a timeout and turns every answer, good or bad, into readable text. */
export async function callApi(runtime: IAgentRuntime, call: ApiCall, values: Record<string, unknown>): Promise<Outcome> {
  const setting = runtime.getSetting(call.baseUrlSetting);
  const base = typeof setting === 'string' && setting.trim() !== '' ? setting : call.defaultBaseUrl;
  if (typeof base !== 'string' || base.trim() === '') return no('Set ' + call.baseUrlSetting + ' to the address of the API first.', { missingSettings: [call.baseUrlSetting] });
  let url: URL;
  try {
    url = buildUrl(base.trim(), values);
  } catch {
    return no(call.baseUrlSetting + ' is not a valid address: "' + base + '".');
  }
  if (!/^https?:$/.test(url.protocol)) return no(call.baseUrlSetting + ' must start with http:// or https://.');
  const key = call.keySetting ? runtime.getSetting(call.keySetting) : undefined;
  const method = typeof values['method'] === 'string' ? values['method'].toUpperCase() : values['body'] ? 'POST' : 'GET';
  if (!/^(GET|POST|PUT|PATCH|DELETE)$/.test(method)) return no('The method must be GET, POST, PUT, PATCH or DELETE, not ' + method + '.');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (typeof key === 'string' && key) headers['authorization'] = 'Bearer ' + key;
  const body = values['body'] !== undefined && method !== 'GET' ? JSON.stringify(values['body']) : undefined;
  if (body) headers['content-type'] = 'application/json';
  const timeoutMs = call.timeoutMs ?? 10_000;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(body ? { body } : {}), signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    const why = error instanceof Error && error.name === 'TimeoutError' ? 'no answer within ' + String(timeoutMs / 1000) + ' s' : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return no('Could not reach ' + url.host + ': ' + why + '.', { url: url.href });
  }
  const raw = await response.text();
  let parsed: unknown = raw;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch {
    parsed = raw;
  }
  if (!response.ok) {
    const detail = typeof parsed === 'object' && parsed !== null ? summarise(parsed, 1) : String(raw).slice(0, 200);
    return no(url.host + ' answered ' + String(response.status) + ' ' + response.statusText + (detail ? ': ' + detail : '') + '.', { status: response.status, url: url.href });
  }
  return ok(summarise(parsed), { status: response.status, url: url.href, response: parsed });
}
