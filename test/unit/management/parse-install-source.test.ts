import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstallSource } from '../../../src/management/install/index.js';
import { parseFleetSource } from '../../../src/management/install/parse-install-source.js';

const cwd = process.cwd();

describe('install sources from what a user typed', () => {
  it.each([
    ['weather', { kind: 'registry', name: 'weather' }],
    ['@elizaos/plugin-weather', { kind: 'registry', name: '@elizaos/plugin-weather' }],
    ['@elizaos/plugin-bootstrap@^1.7.0', { kind: 'npm', name: '@elizaos/plugin-bootstrap', range: '^1.7.0' }],
    ['plugin-x@1.2.3', { kind: 'npm', name: 'plugin-x', range: '1.2.3' }],
    ['github:elizaos-plugins/plugin-x#1.x', { kind: 'github', owner: 'elizaos-plugins', repo: 'plugin-x', ref: '1.x' }],
  ])('reads %s', (input, expected) => {
    expect(parseInstallSource(input, { cwd })).toEqual(expected);
  });

  it.each([
    ['../../etc/plugin-evil', 'INVALID_SOURCE'],
    ['plugin-x; rm -rf ~', 'INVALID_PLUGIN_NAME'],
    ['plugin`whoami`', 'INVALID_PLUGIN_NAME'],
    ['a\\b', 'INVALID_PLUGIN_NAME'],
    ['evil/../../x', 'INVALID_PLUGIN_NAME'],
    ['plugin\u0000x', 'INVALID_PLUGIN_NAME'],
    ['plugin-x@latest && curl evil', 'INVALID_VERSION'],
    ['plugin-x@not-a-version', 'INVALID_VERSION'],
    ['github:owner/../repo', 'INVALID_SOURCE'],
    ['~/plugins/x', 'INVALID_SOURCE'],
    ['', 'INVALID_SOURCE'],
  ])('refuses %j with %s', (input, code) => {
    expect(() => parseInstallSource(input, { cwd })).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a folder or tarball outside the folders installs may come from', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'pd-outside-'));
    await writeFile(join(elsewhere, 'x.tgz'), '');
    expect(() => parseInstallSource(join(elsewhere, 'x.tgz'), { cwd })).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_ALLOWED' }));
    expect(parseInstallSource(join(elsewhere, 'x.tgz'), { cwd, allowedRoots: [elsewhere] })).toMatchObject({ kind: 'tarball' });
    expect(parseInstallSource(elsewhere, { cwd, allowedRoots: [elsewhere] })).toMatchObject({ kind: 'folder' });
  });
});

describe('parseFleetSource', () => {
  it.each([
    ['fleet:plugin-notes', { name: 'plugin-notes' }],
    ['fleet:@acme/plugin-notes@1.2.0', { name: '@acme/plugin-notes', version: '1.2.0' }],
    ['  fleet:plugin-notes@0.1.0 ', { name: 'plugin-notes', version: '0.1.0' }],
  ])('reads %j', (input, expected) => {
    expect(parseFleetSource(input)).toEqual(expected);
  });

  it('leaves every other source to parseInstallSource', () => {
    expect(parseFleetSource('plugin-notes')).toBeUndefined();
    expect(parseFleetSource('github:owner/fleet')).toBeUndefined();
  });

  it.each([
    ['fleet:plugin-notes@^1.0.0', 'INVALID_SOURCE'],
    ['fleet:plugin-notes@latest', 'INVALID_SOURCE'],
    ['fleet:Bad;Name', 'INVALID_PLUGIN_NAME'],
    ['fleet:', 'INVALID_PLUGIN_NAME'],
  ])('refuses %j with %s', (input, code) => {
    expect(() => parseFleetSource(input)).toThrow(expect.objectContaining({ code }));
  });

  it('is refused by parseInstallSource, which serves agents without the fleet', () => {
    expect(() => parseInstallSource('fleet:plugin-notes', { cwd })).toThrow(expect.objectContaining({ code: 'FLEET_NOT_IN_USE' }));
  });
});
