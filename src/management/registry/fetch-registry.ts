import { codedError, isPluginDynamicError, type PluginDynamicError } from '../../errors.js';
import type { RegistryEntry } from '../types.js';
import { parseRegistry } from './parse-registry.js';

export interface FetchRegistryOptions {
  url: string;
  timeoutMs: number;
  /** Larger answers are refused: the real registry is about 330 kB. @default 20 MiB */
  maxBytes?: number;
  signal?: AbortSignal | undefined;
}

export const DEFAULT_MAX_REGISTRY_BYTES = 20 * 1024 * 1024;

/*
 * Every failure carries `details.reason`, a phrase about the registry that reads after "the registry at <url>"
 * ("did not answer within 15 s"), so the client can say why it fell back in words a person follows.
 */
function failure(
  code: 'REGISTRY_UNAVAILABLE' | 'REGISTRY_INVALID',
  url: string,
  reason: string,
  cause?: unknown,
): PluginDynamicError {
  return codedError(code, { url, reason }, { cause, details: { url, reason } });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Why fetch itself failed, from undici's `cause` (ECONNREFUSED, ENOTFOUND, ...). */
function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : undefined;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  return `could not be reached (${code ?? message})`;
}

async function readBounded(response: Response, url: string, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw failure('REGISTRY_INVALID', url, `answered ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw failure('REGISTRY_INVALID', url, `answered more than the ${maxBytes} bytes allowed`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function fetchOnce(url: string, maxBytes: number, signal: AbortSignal): Promise<RegistryEntry[]> {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    await response.body?.cancel();
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw failure('REGISTRY_UNAVAILABLE', url, `answered HTTP ${status}`);
  }
  const text = await readBounded(response, url, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw failure('REGISTRY_INVALID', url, 'answered something that is not JSON', error);
  }
  try {
    return parseRegistry(json);
  } catch (error) {
    const detail = error instanceof Error ? ` (${error.message})` : '';
    throw failure('REGISTRY_INVALID', url, `answered JSON that is not a plugin registry${detail}`, error);
  }
}

/**
 * Downloads and parses the registry, bounded in time and size.
 *
 * @throws the caller's `signal.reason` when the caller cancels; otherwise PluginDynamicError
 * REGISTRY_UNAVAILABLE (unreachable, timeout, HTTP error) or REGISTRY_INVALID (not JSON, not a registry,
 * too large), each with `details.reason`.
 */
export async function fetchRegistry(options: FetchRegistryOptions): Promise<RegistryEntry[]> {
  const { url, timeoutMs, signal } = options;
  signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    return await fetchOnce(url, options.maxBytes ?? DEFAULT_MAX_REGISTRY_BYTES, combined);
  } catch (error) {
    // The caller's cancellation wins over everything, so it is never mistaken for a registry failure.
    if (signal?.aborted) throw signal.reason;
    if (timeout.aborted) {
      throw failure('REGISTRY_UNAVAILABLE', url, `did not answer within ${seconds(timeoutMs)}`, error);
    }
    if (isPluginDynamicError(error)) throw error;
    throw failure('REGISTRY_UNAVAILABLE', url, networkReason(error), error);
  }
}
