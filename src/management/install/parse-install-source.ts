import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import semver from 'semver';
import { PluginDynamicError } from '../../errors.js';
import { isInside } from '../../shared/paths.js';
import type { InstallSource } from '../types.js';

/** npm's rules for a package name, plus nothing a shell or a path could misread. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const GITHUB = /^github:([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})(?:#([A-Za-z0-9._/-]{1,200}))?$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN = /[\s;&|`$<>\\'"(){}*?!]|[\u0000-\u001f\u007f]/;

export function assertPackageName(name: string): void {
  if (name.length > 214 || !PACKAGE_NAME.test(name) || name.includes('..')) {
    throw new PluginDynamicError(
      'INVALID_PLUGIN_NAME',
      `"${printable(name)}" is not a valid npm package name.`,
      { details: { value: name } },
    );
  }
}

function printable(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are made visible
  return value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 120);
}

function localPath(input: string, opts: { cwd: string; allowedRoots: string[] }): string {
  const path = resolve(opts.cwd, input);
  if (!existsSync(path)) {
    throw new PluginDynamicError('INVALID_SOURCE', `${printable(input)} does not exist.`);
  }
  const real = realpathSync(path);
  const roots = [opts.cwd, ...opts.allowedRoots].map((r) => (existsSync(r) ? realpathSync(r) : resolve(r)));
  if (!roots.some((root) => isInside(root, real))) {
    throw new PluginDynamicError(
      'PATH_OUTSIDE_ALLOWED',
      `${printable(input)} is outside the folders installs may come from (${roots.join(', ')}).`,
    );
  }
  return real;
}

/**
 * What the user typed, turned into an install source: a registry name ("weather",
 * "@elizaos/plugin-weather"), "name@range", "github:owner/repo#ref", a local folder or a .tgz.
 * Anything else is refused with what is allowed.
 */
export function parseInstallSource(raw: string, opts: { cwd: string; allowedRoots?: string[] }): InstallSource {
  const input = raw.trim();
  const allowedRoots = opts.allowedRoots ?? [];
  if (input === '' || input.length > 500) {
    throw new PluginDynamicError('INVALID_SOURCE', 'Say what to install: a plugin name, name@version, github:owner/repo or a path.');
  }
  // eslint-disable-next-line no-control-regex -- control characters are refused
  if (/[\u0000-\u001f\u007f]/.test(input)) {
    throw new PluginDynamicError('INVALID_PLUGIN_NAME', 'The plugin name contains control characters.');
  }
  if (input.startsWith('github:')) {
    const m = GITHUB.exec(input);
    if (!m || m[2]?.includes('..') || m[3]?.includes('..')) {
      throw new PluginDynamicError('INVALID_SOURCE', `"${printable(input)}" is not of the form github:owner/repo#ref.`);
    }
    return { kind: 'github', owner: m[1] ?? '', repo: m[2] ?? '', ref: m[3] };
  }
  const looksLikePath = input.startsWith('.') || isAbsolute(input) || input.startsWith('~') || input.endsWith('.tgz') || input.endsWith('.tar.gz');
  if (looksLikePath) {
    if (input.startsWith('~')) {
      throw new PluginDynamicError('INVALID_SOURCE', 'Write the full path instead of "~".');
    }
    const path = localPath(input, { cwd: opts.cwd, allowedRoots });
    if (statSync(path).isDirectory()) return { kind: 'folder', path };
    if (!/\.(tgz|tar\.gz)$/.test(path)) {
      throw new PluginDynamicError('INVALID_SOURCE', `${printable(input)} is neither a folder nor a .tgz tarball.`);
    }
    return { kind: 'tarball', path };
  }
  const at = input.lastIndexOf('@');
  const namePart = at > 0 ? input.slice(0, at) : input;
  if (FORBIDDEN.test(namePart)) {
    throw new PluginDynamicError('INVALID_PLUGIN_NAME', `"${printable(namePart)}" contains characters a package name cannot have.`);
  }
  if (at > 0) {
    const name = namePart;
    const range = input.slice(at + 1);
    assertPackageName(name);
    if (range.length > 100 || /[;&|`$\\'"]/.test(range)) {
      throw new PluginDynamicError('INVALID_VERSION', `"${printable(range)}" is not a semver version or range (e.g. 1.2.3, ^1.2.0).`);
    }
    if (!semver.validRange(range) && range !== 'latest') {
      throw new PluginDynamicError('INVALID_VERSION', `"${printable(range)}" is not a semver version or range (e.g. 1.2.3, ^1.2.0).`);
    }
    return { kind: 'npm', name, range };
  }
  if (input.includes('/') && !input.startsWith('@')) {
    throw new PluginDynamicError('INVALID_PLUGIN_NAME', `"${printable(input)}": a "/" is only allowed after a scope, as in @scope/name.`);
  }
  assertPackageName(input.toLowerCase());
  return { kind: 'registry', name: input.toLowerCase() };
}
