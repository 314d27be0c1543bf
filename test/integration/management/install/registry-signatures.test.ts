import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginInstaller } from '../../../../src/management/install/index.js';
import { signatureWords } from '../../../../src/management/install/signature-check.js';
import type { PluginManagementService } from '../../../../src/management/plugin-management-service.js';
import { runNpm } from '../../../../src/shared/npm/index.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../../src/service-types.js';
import { startFixtureServer, type FixtureServer } from '../../../helpers/fixture-server.js';
import { startManagementRuntime } from '../../../helpers/management-runtime.js';
import { entry } from '../../../unit/management/registry/snapshot.js';
import type { TestRuntime } from '../../../helpers/runtime.js';

/**
 * A registry on 127.0.0.1 that signs what it serves with a key of its own, published at
 * /-/npm/v1/keys as npm's registry does: one package signed right, one with no signature, one whose
 * signature was made over other bytes. Real npm installs them; the agent checks the signatures.
 */
const KEYID = 'SHA256:fixture-registry-key';
const PACKAGES = { good: 'plugin-sig-good', missing: 'plugin-sig-missing', wrong: 'plugin-sig-wrong' } as const;

describe('registry signatures of installed packages, against a registry on 127.0.0.1', () => {
  let registry: FixtureServer;
  let root: string;
  let dataDir: string;
  let installer: PluginInstaller;
  let previousRegistry: string | undefined;
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  /** Packs a tiny plugin with real npm and serves its packument, version manifest and tarball. */
  async function publish(name: string, signing: 'right' | 'none' | 'wrong'): Promise<void> {
    const dir = join(root, 'src', name);
    await mkdir(join(dir, 'dist'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'dist/index.js' }));
    await writeFile(join(dir, 'dist', 'index.js'), `export default { name: '${name}', description: 'signature fixture', actions: [] };\n`);
    const packed = await runNpm(['pack', '--pack-destination', join(root, 'tarballs'), '--json'], { cwd: dir, dataDir, timeoutMs: 60_000, outputCapBytes: 1_000_000 });
    expect(packed.ok).toBe(true);
    const file = (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename;
    const tarball = await readFile(join(root, 'tarballs', file));
    const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
    const signed = signing === 'wrong' ? `${name}@1.0.1:${integrity}` : `${name}@1.0.0:${integrity}`;
    const dist = {
      integrity,
      shasum: createHash('sha1').update(tarball).digest('hex'),
      tarball: `${registry.url}/${name}/-/${file}`,
      ...(signing === 'none' ? {} : { signatures: [{ keyid: KEYID, sig: sign('sha256', Buffer.from(signed), privateKey).toString('base64') }] }),
    };
    const manifest = { name, version: '1.0.0', type: 'module', main: 'dist/index.js', dist };
    const json = (body: unknown) => (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    registry.route(`/${name}`, json({ name, 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': manifest } }));
    registry.route(`/${name}/1.0.0`, json(manifest));
    registry.route(`/${name}/-/${file}`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length }).end(tarball);
    });
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pd-signatures-'));
    dataDir = join(root, 'data');
    await mkdir(join(root, 'tarballs'), { recursive: true });
    await mkdir(dataDir);
    registry = await startFixtureServer();
    const key = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    registry.route('/-/npm/v1/keys', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ keyid: KEYID, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', expires: null, key }] }));
    });
    previousRegistry = process.env['npm_config_registry'];
    process.env['npm_config_registry'] = `${registry.url}/`;
    await publish(PACKAGES.good, 'right');
    await publish(PACKAGES.missing, 'none');
    await publish(PACKAGES.wrong, 'wrong');
    installer = new PluginInstaller({ dataDir, timeoutMs: 120_000, outputCapBytes: 4_000_000, allowInstallScripts: [], resolveRegistryEntry: async (name) => entry(name) });
  });

  afterAll(async () => {
    if (previousRegistry === undefined) delete process.env['npm_config_registry'];
    else process.env['npm_config_registry'] = previousRegistry;
    await registry?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a package signed with the registry key is verified, and the check asked the registry for its keys and its manifest', async () => {
    const pkg = await installer.install({ kind: 'npm', name: PACKAGES.good, range: '1.0.0' });
    expect(pkg.signatures).toMatchObject({ signature: 'verified', provenance: 'absent', packages: 1, verified: 1 });
    expect(registry.requests).toContain('/-/npm/v1/keys');
    expect(registry.requests).toContain(`/${PACKAGES.good}/1.0.0`);
    expect(signatureWords(pkg.signatures)).toBe('registry signature verified (1 of 1 packages), no provenance');
    await installer.uninstall(pkg);
  });

  it('a package the registry serves without a signature is installed as absent', async () => {
    const pkg = await installer.install({ kind: 'npm', name: PACKAGES.missing, range: '1.0.0' });
    expect(pkg.signatures).toMatchObject({ signature: 'absent', packages: 1, verified: 0 });
    expect(pkg.signatures.reason).toContain(`${PACKAGES.missing}@1.0.0`);
    await installer.uninstall(pkg);
  });

  it('a package whose signature does not check is installed as invalid, with the reason', async () => {
    const pkg = await installer.install({ kind: 'npm', name: PACKAGES.wrong, range: '1.0.0' });
    expect(pkg.signatures).toMatchObject({ signature: 'invalid', verified: 0 });
    expect(pkg.signatures.reason).toContain(`${PACKAGES.wrong}@1.0.0: its signature by ${KEYID} does not check`);
    await installer.uninstall(pkg);
  });

  it('a local folder is not signed (local source), and the registry is not asked about it', async () => {
    const before = registry.requests.length;
    const pkg = await installer.install({ kind: 'folder', path: join(root, 'src', PACKAGES.good) });
    expect(pkg.signatures).toMatchObject({ signature: 'local', provenance: 'local' });
    expect(signatureWords(pkg.signatures)).toBe('not signed (local source)');
    expect(registry.requests.slice(before)).not.toContain('/-/npm/v1/keys');
    await installer.uninstall(pkg);
  });

  describe('in a live agent', () => {
    let t: TestRuntime;
    const management = () => t.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;

    beforeAll(async () => {
      t = await startManagementRuntime(join(root, 'agent'), registry.url);
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('refuses to load in-process a registry plugin whose signature is invalid, and says so beside its trust tier', async () => {
      const view = await management().install(`${PACKAGES.wrong}@1.0.0`, { activate: false });
      expect(view.trust).toBe('registry');
      expect(view.isolation).toBe('in-process');
      expect(view.signature).toContain('registry signature INVALID');
      await expect(management().activate(PACKAGES.wrong)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
      expect(t.runtime.plugins.some((p) => p.name === PACKAGES.wrong)).toBe(false);
    });

    it('loads in-process a registry plugin whose signature checks', async () => {
      const view = await management().install(`${PACKAGES.good}@1.0.0`, { activate: true });
      expect(view.signature).toContain('registry signature verified');
      expect(view.status).toBe('active');
      expect(t.runtime.plugins.some((p) => p.name === PACKAGES.good)).toBe(true);
    });
  });
});
