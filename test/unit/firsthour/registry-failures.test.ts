import { describe, expect, it } from 'vitest';
import { searchText } from '../../../src/cli/format.js';
import type { PluginDynamicError } from '../../../src/errors.js';
import { NpmV1Verifier, parseRegistry, searchRegistry } from '../../../src/management/registry/index.js';
import type { RegistryClient } from '../../../src/management/registry/registry-client.js';
import { verifiedSearch } from '../../../src/management/registry/verified-search.js';
import { readSnapshot } from '../management/registry/snapshot.js';

const snapshot = parseRegistry(readSnapshot('generated-registry.json'));

/** The registry client's search over the real snapshot, or over nothing (unreachable, never cached). */
function registry(reachable: boolean): RegistryClient {
  return {
    search: (query: string, opts: { limit?: number; v1Only?: boolean } = {}) =>
      Promise.resolve(
        reachable
          ? { hits: searchRegistry(snapshot, query, opts), origin: 'network' as const }
          : { hits: [], origin: 'none' as const, warning: 'No plugin list is available: the registry at http://127.0.0.1:9/r.json could not be reached (ECONNREFUSED), and there is no cached copy yet.' },
      ),
  } as unknown as RegistryClient;
}

/** npm as it answers today: no 1.x release of plugin-tts (E404), 1.x releases of the rest. */
const npm = (slow: string[] = []) =>
  new NpmV1Verifier({
    timeoutMs: 5_000,
    view: (name) => (slow.includes(name) ? Promise.reject(new Error('ETIMEDOUT')) : Promise.resolve(name === '@elizaos/plugin-tts' ? 'missing' : { version: '1.0.0' })),
  });

describe('registry failures are errors, and what a 1.x search hides is said', () => {
  it('refuses a search with REGISTRY_UNAVAILABLE and the cause when the registry is unreachable and never cached', async () => {
    const e = await verifiedSearch(registry(false), npm(), 'weather', { v1Only: true }).then(
      () => undefined,
      (error: unknown) => error as PluginDynamicError,
    );
    expect(e?.code).toBe('REGISTRY_UNAVAILABLE');
    expect(e?.message).toContain('could not be reached (ECONNREFUSED)');
  });

  it('never offers a plugin npm has no 1.x release of, whatever the registry flag says, nor one npm did not confirm', async () => {
    expect(snapshot.find((e) => e.name === '@elizaos/plugin-tts')?.supportsV1).toBe(true);
    const answer = await verifiedSearch(registry(true), npm(['@elizaos/plugin-edge-tts']), 'tts', { v1Only: true });
    const names = answer.hits.map((h) => h.entry.name);
    expect(names).not.toContain('@elizaos/plugin-tts');
    expect(names).not.toContain('@elizaos/plugin-edge-tts');
    expect(answer.warning).toContain('Left out @elizaos/plugin-tts');
    expect(answer.warning).toContain('Not offered until npm confirms a 1.x release: @elizaos/plugin-edge-tts');
  });

  it('says how many matching entries an empty 1.x result hides, and the CLI suggests --all', async () => {
    const answer = await verifiedSearch(registry(true), npm(), 'weather', { v1Only: true });
    const all = searchRegistry(snapshot, 'weather', { limit: 1000 }).length;
    const v1 = searchRegistry(snapshot, 'weather', { limit: 1000, v1Only: true }).length;
    expect(answer.hidden).toBe(all - v1);
    expect(answer.hidden).toBeGreaterThan(0);
    const text = searchText({ ...answer, hits: [] });
    expect(text.split('\n')[0]).toBe('No ElizaOS 1.x plugin matches.');
    expect(text.split('\n').at(-1)).toMatch(/^\d+ more (entry matches|entries match) but (is|are) not offered \(no usable ElizaOS 1\.x release\): search again with --all to see (it|them)\.$/);
  });
});
