import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lockfile } from '../../../../src/management/install/lockfile.js';
import { checkRegistrySignatures, registryPackages, verifyPackage, type RegistryKeys } from '../../../../src/management/install/registry-signatures.js';
import { signatureTag, signatureWords, unsignedSource, type SignatureCheck } from '../../../../src/management/install/signature-check.js';
import { startFixtureServer, type FixtureServer } from '../../../helpers/fixture-server.js';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEYS: RegistryKeys = { keys: [{ keyid: 'SHA256:one', key: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), expires: null }] };
const pkg = { name: '@scope/plugin-x', version: '1.2.3', integrity: 'sha512-AAAA' };
const sig = (text: string, key = privateKey) => sign('sha256', Buffer.from(text), key).toString('base64');

describe('one package against the registry keys', () => {
  it('verifies a signature over <name>@<version>:<integrity> by a published key', () => {
    expect(verifyPackage(pkg, { integrity: pkg.integrity, signatures: [{ keyid: 'SHA256:one', sig: sig('@scope/plugin-x@1.2.3:sha512-AAAA') }] }, KEYS)).toEqual({ kind: 'verified' });
  });

  it.each([
    ['over another version', sig('@scope/plugin-x@1.2.4:sha512-AAAA'), 'SHA256:one', 'does not check'],
    ['by another key', sig('@scope/plugin-x@1.2.3:sha512-AAAA', other.privateKey), 'SHA256:one', 'does not check'],
    ['by a key the registry does not publish', sig('@scope/plugin-x@1.2.3:sha512-AAAA'), 'SHA256:unknown', 'does not publish'],
    ['that is not a signature', 'bm90IGEgc2lnbmF0dXJl', 'SHA256:one', 'does not check'],
  ])('refuses a signature %s', (_case, signature, keyid, words) => {
    const verdict = verifyPackage(pkg, { integrity: pkg.integrity, signatures: [{ keyid, sig: signature }] }, KEYS);
    expect(verdict.kind).toBe('invalid');
    expect(verdict.kind === 'invalid' && verdict.reason).toContain(words);
  });

  it('refuses a manifest whose integrity is not the installed one, whatever its signature', () => {
    const verdict = verifyPackage(pkg, { integrity: 'sha512-BBBB', signatures: [{ keyid: 'SHA256:one', sig: sig('@scope/plugin-x@1.2.3:sha512-BBBB') }] }, KEYS);
    expect(verdict.kind).toBe('invalid');
  });

  it('reports a package without signatures as missing', () => {
    expect(verifyPackage(pkg, { integrity: pkg.integrity }, KEYS)).toEqual({ kind: 'missing' });
  });
});

describe('the packages of a lockfile that the registry serves', () => {
  it('keeps registry tarballs only, with the real name of an alias', () => {
    const lock: Lockfile = {
      lockfileVersion: 3,
      packages: {
        '': { version: '0.0.0' },
        'node_modules/a': { version: '1.0.0', resolved: 'https://registry.example/a/-/a-1.0.0.tgz', integrity: 'sha512-a' },
        'node_modules/alias': { name: 'b', version: '2.0.0', resolved: 'https://registry.example/b/-/b-2.0.0.tgz', integrity: 'sha512-b' },
        'node_modules/a/node_modules/@s/c': { version: '3.0.0', resolved: 'https://registry.example/@s/c/-/c-3.0.0.tgz', integrity: 'sha512-c' },
        'node_modules/@elizaos/core': { resolved: '../core', link: true },
        'node_modules/gh': { version: '1.0.0', resolved: 'https://codeload.github.com/o/r/tar.gz/abc', integrity: 'sha512-g' },
        'node_modules/file': { version: '1.0.0', resolved: 'file:../x.tgz', integrity: 'sha512-f' },
      },
    };
    expect(registryPackages(lock, new URL('https://registry.example/'))).toEqual([
      { name: 'a', version: '1.0.0', integrity: 'sha512-a' },
      { name: 'b', version: '2.0.0', integrity: 'sha512-b' },
      { name: '@s/c', version: '3.0.0', integrity: 'sha512-c' },
    ]);
  });
});

describe('the whole check against a registry on 127.0.0.1', () => {
  let server: FixtureServer;
  let lock: Lockfile;
  const json = (body: unknown) => (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  beforeAll(async () => {
    server = await startFixtureServer();
    lock = {
      lockfileVersion: 3,
      packages: {
        '': {},
        'node_modules/@scope/plugin-x': { version: '1.2.3', resolved: `${server.url}/@scope/plugin-x/-/plugin-x-1.2.3.tgz`, integrity: 'sha512-AAAA' },
      },
    };
  });
  afterAll(() => server.close());

  const check = (registry = `${server.url}/`) => checkRegistrySignatures(lock, '@scope/plugin-x', { registry: new URL(registry), timeoutMs: 5_000 });

  it('says absent when the registry publishes no keys, and notes a published provenance attestation', async () => {
    server.route('/-/npm/v1/keys', (_req, res) => res.writeHead(404).end('{}'));
    server.route('/@scope%2fplugin-x/1.2.3', json({ dist: { integrity: 'sha512-AAAA', attestations: { url: 'https://registry.example/-/npm/v1/attestations/@scope/plugin-x@1.2.3', provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } } }));
    const result = await check();
    expect(result).toMatchObject({ signature: 'absent', provenance: 'published', packages: 1, verified: 0 });
    expect(result.reason).toContain('publishes no signing keys');
    expect(server.requests).toContain('/@scope%2fplugin-x/1.2.3');
  });

  it('says unchecked, with the reason, when the registry fails', async () => {
    server.route('/-/npm/v1/keys', json(KEYS));
    server.route('/@scope%2fplugin-x/1.2.3', (_req, res) => res.writeHead(503).end());
    expect(await check()).toMatchObject({ signature: 'unchecked', reason: expect.stringContaining('HTTP 503') });
  });

  it('says unchecked when the answer is not a manifest', async () => {
    server.route('/@scope%2fplugin-x/1.2.3', json({ nothing: true }));
    expect(await check()).toMatchObject({ signature: 'unchecked', reason: 'the registry answered in an unknown shape' });
  });

  it('verifies the package through the registry it names', async () => {
    server.route('/@scope%2fplugin-x/1.2.3', json({ dist: { integrity: 'sha512-AAAA', signatures: [{ keyid: 'SHA256:one', sig: sig('@scope/plugin-x@1.2.3:sha512-AAAA') }] } }));
    expect(await check()).toMatchObject({ signature: 'verified', provenance: 'absent', packages: 1, verified: 1 });
  });
});

describe('the words beside the trust tier', () => {
  const base = { packages: 3, verified: 3, checkedAt: '2026-01-01T00:00:00.000Z' };
  it.each<[SignatureCheck | undefined, string, string]>([
    [{ ...base, signature: 'verified', provenance: 'published' }, 'registry signature verified (3 of 3 packages), provenance published', 'verified +provenance'],
    [{ ...base, signature: 'invalid', provenance: 'absent', reason: 'x@1.0.0: its signature by k does not check' }, 'registry signature INVALID: x@1.0.0: its signature by k does not check', 'INVALID'],
    [{ ...base, signature: 'absent', provenance: 'absent', reason: '1 of 3 packages carry no signature: y@2.0.0' }, 'registry signature absent (1 of 3 packages carry no signature: y@2.0.0), no provenance', 'absent'],
    [unsignedSource('folder'), 'not signed (local source)', 'not signed'],
    [unsignedSource('github'), 'not signed (GitHub source)', 'not signed'],
    [undefined, 'signature not checked (installed before signatures were checked)', 'unchecked'],
  ])('%j', (check, words, tag) => {
    expect(signatureWords(check)).toBe(words);
    expect(signatureTag(check)).toBe(tag);
  });
});
