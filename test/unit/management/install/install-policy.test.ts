import { describe, expect, it } from 'vitest';
import { checkInstallPolicy } from '../../../../src/management/install/install-policy.js';
import type { PluginManifest } from '../../../../src/management/install/plugin-manifest.js';

const manifest = (deps: Partial<Pick<PluginManifest, 'dependencies' | 'optionalDependencies' | 'peerDependencies'>>): PluginManifest => ({
  name: 'plugin-deps',
  version: '1.0.0',
  dir: '/tmp/plugin-deps',
  ...deps,
});

const verdict = (m: PluginManifest): string => {
  try {
    checkInstallPolicy(m, { allowInstallScripts: [] });
    return 'allowed';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('the install policy on dependency sources', () => {
  it('reads URL schemes case-insensitively, the way npm does', () => {
    for (const spec of ['HTTPS://evil.example/x.tgz', 'Http://evil.example/x.tgz', 'GIT+ssh://git@evil.example/x.git', 'GitHub:evil/x', 'SSH://evil.example/x', ' https://evil.example/x.tgz']) {
      expect(verdict(manifest({ dependencies: { x: spec } })), spec).toBe('UNSAFE_DEPENDENCY');
    }
    expect(verdict(manifest({ dependencies: { x: 'FILE:../../outside' } }))).toBe('UNSAFE_DEPENDENCY');
    expect(verdict(manifest({ dependencies: { x: 'Link:/etc' } }))).toBe('UNSAFE_DEPENDENCY');
  });

  it('covers peerDependencies as well as dependencies and optionalDependencies', () => {
    expect(verdict(manifest({ peerDependencies: { x: 'https://evil.example/x.tgz' } }))).toBe('UNSAFE_DEPENDENCY');
    expect(verdict(manifest({ peerDependencies: { x: 'github:evil/x' } }))).toBe('UNSAFE_DEPENDENCY');
    expect(verdict(manifest({ peerDependencies: { x: 'file:/etc' } }))).toBe('UNSAFE_DEPENDENCY');
    expect(verdict(manifest({ optionalDependencies: { x: 'git+https://evil.example/x.git' } }))).toBe('UNSAFE_DEPENDENCY');
  });

  it('allows registry ranges, aliases and files inside the package', () => {
    expect(verdict(manifest({ dependencies: { a: '^1.2.0', b: 'npm:c@1.0.0', d: 'file:./vendor/d' }, peerDependencies: { '@elizaos/core': '1.x' } }))).toBe('allowed');
  });
});
