import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { startManagementRuntime } from '../../helpers/management-runtime.js';
import { runAction } from '../../helpers/run-action.js';
import type { TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

// The registry snapshot marks @elizaos/plugin-tts as 1.x (npm.v1 "1.0.0"); the real npm registry
// has only 0.25.6-alpha.1 of it (`npm view @elizaos/plugin-tts versions`, 2026-12-01).
describe('registry 1.x flags checked against the real npm registry', () => {
  let registry: FixtureServer;
  let dataDir: string;
  let t: TestRuntime;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

  beforeAll(async () => {
    registry = await startFixtureServer();
    dataDir = await mkdtemp(join(tmpdir(), 'pd-registry-npm-'));
    t = await startManagementRuntime(dataDir, registry.url);
  });
  afterAll(async () => {
    await t?.cleanup();
    await registry?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('does not offer an entry the registry marks 1.x when npm has no 1.x release of it', async () => {
    const run = await runAction(t.runtime, 'LIST_AVAILABLE_PLUGINS', 'search plugins for @elizaos/plugin-tts');
    expect(run.results[0]?.success, run.results[0]?.text).toBe(true);
    const offered = (run.results[0]?.data?.['results'] as { name: string }[]).map((r) => r.name);
    expect(offered).not.toContain('@elizaos/plugin-tts');
    expect(run.replies[0]?.text).not.toMatch(/^\d+\. @elizaos\/plugin-tts\b/m);
    expect(run.replies[0]?.text).toContain('Left out @elizaos/plugin-tts');
  });

  it('offers an entry npm confirms, with the 1.x version npm has', async () => {
    const answer = await management().search('bootstrap', { limit: 3, v1Only: true });
    const bootstrap = answer.hits.find((h) => h.entry.name === '@elizaos/plugin-bootstrap');
    expect(bootstrap?.npm).toMatchObject({ status: 'verified', version: expect.stringMatching(/^1\./) });
  });

  it('refuses to install it by its exact name, naming the missing 1.x release', async () => {
    const run = await runAction(t.runtime, 'INSTALL_PLUGIN', 'install @elizaos/plugin-tts');
    expect(run.results[0]?.success).toBe(false);
    expect(run.results[0]?.data?.['code']).toBe('INCOMPATIBLE_PLUGIN');
    expect(management().list()).toEqual([]);
  });
});
