import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { pluginDynamic } from '../../../src/index.js';
import { BAD_SPEC_FIELDS } from '../../helpers/bad-specs.js';
import { DEFAULT_FIXTURE_ROOT, startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';

const BAD_SPECS = join(DEFAULT_FIXTURE_ROOT, 'specs', 'bad');

/** A registry whose only entry is a real npm package (nodemon 1.19.4) with a postinstall script. */
const REGISTRY = {
  lastUpdatedAt: '2026-11-01T00:00:00.000Z',
  registry: {
    nodemon: {
      git: { repo: 'remy/nodemon', v0: { version: null, branch: null }, v1: { version: '1.19.4', branch: null }, alpha: { version: null, branch: null } },
      npm: { repo: 'nodemon', v0: null, v1: '1.19.4', alpha: null, v0CoreRange: null, v1CoreRange: null, alphaCoreRange: null },
      supports: { v0: false, v1: true, alpha: false },
      description: 'A registry entry that points at a package with a postinstall script',
      homepage: null,
      topics: [],
      stargazers_count: 0,
      language: 'JavaScript',
    },
  },
};

describe('untrusted input from users, models and registries', () => {
  let t: TestRuntime;
  let server: FixtureServer;
  const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
  const creation = () => t.runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE)!;
  const dataDir = () => join(t.dataDir, 'plugin-dynamic');
  const folder = (name: string): string[] => {
    try {
      return readdirSync(join(dataDir(), name));
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    server = await startFixtureServer();
    server.route('/evil-registry.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(REGISTRY)));
    t = await createTestRuntime({ plugins: [pluginDynamic], settings: { PLUGIN_DYNAMIC_REGISTRY_URL: `${server.url}/evil-registry.json` } });
    await Promise.all([t.runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  });
  afterAll(async () => {
    await t?.cleanup();
    await server?.close();
  });

  it('refuses a registry entry whose package has a postinstall script, saying how to allow it, and keeps nothing', async () => {
    const attempt = management().install('nodemon');
    await expect(attempt).rejects.toMatchObject({ code: 'INSTALL_SCRIPTS_REFUSED', message: expect.stringContaining('postinstall') });
    await expect(attempt).rejects.toThrow(/PLUGIN_DYNAMIC_ALLOW_INSTALL_SCRIPTS/);
    expect(folder('plugins').filter((f) => !f.startsWith('.') && f !== 'node_modules')).toEqual([]);
    expect(management().list()).toEqual([]);
  });

  it('a package that allocates without end when imported is stopped at the memory bound and not installed', async () => {
    const source = await mkdtemp(join(tmpdir(), 'pd-greedy-plugin-'));
    try {
      await mkdir(join(source, 'dist'));
      await writeFile(join(source, 'package.json'), JSON.stringify({ name: 'plugin-greedy', version: '1.0.0', type: 'module', main: 'dist/index.js' }));
      await writeFile(join(source, 'dist', 'index.js'), 'const keep = [];\nfor (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));\nexport default { name: "greedy", description: "never loads" };\n');
      const attempt = management().install(source, { allowedRoots: [source] });
      await expect(attempt).rejects.toMatchObject({ code: 'NOT_A_PLUGIN' });
      await expect(attempt).rejects.toThrow('importing it was stopped by the sandbox: the memory limit (1024 MB)');
      expect(folder('plugins').filter((f) => !f.startsWith('.') && f !== 'node_modules')).toEqual([]);
    } finally {
      await rm(source, { recursive: true, force: true });
    }
  });

  const fieldOf = BAD_SPEC_FIELDS;

  it('knows every bad specification in the shared fixtures', () => {
    expect(readdirSync(BAD_SPECS).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(fieldOf).sort());
  });

  it.each(Object.keys(fieldOf))('refuses the bad specification %s through the creation service, naming the field, and leaves nothing behind', async (file) => {
    const before = creation().listJobs().length;
    const spec: unknown = JSON.parse(readFileSync(join(BAD_SPECS, file), 'utf8'));
    const attempt = creation().createFromSpec(spec);
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_SPEC' });
    // The message names the field and says what would be accepted.
    await expect(attempt).rejects.toThrow(fieldOf[file]);
    await expect(attempt).rejects.toThrow(/must|is required/);
    expect(creation().listJobs().length).toBe(before);
    expect(folder('workspaces')).toEqual([]);
  });
});
