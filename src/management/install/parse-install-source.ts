import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import semver from 'semver';
import { codedError } from '../../errors.js';
import { isInside } from '../../shared/paths.js';
import type { InstallSource } from '../types.js';

/** npm's rules for a package name, plus nothing a shell or a path could misread. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const GITHUB = /^github:([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})(?:#([A-Za-z0-9._/-]{1,200}))?$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN = /[\s;&|`$<>\\'"(){}*?!]|[\u0000-\u001f\u007f]/;

export function assertPackageName(name: string): void {
  if (name.length > 214 || !PACKAGE_NAME.test(name) || name.includes('..')) {
    throw codedError('INVALID_PLUGIN_NAME', { name: printable(name), problem: 'is not a valid npm package name.' }, { details: { value: name } });
  }
}

function printable(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are made visible
  return value.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 120);
}

function localPath(input: string, opts: { cwd: string; allowedRoots: string[] }): string {
  const path = resolve(opts.cwd, input);
  if (!existsSync(path)) {
    throw codedError('INVALID_SOURCE', { source: printable(input), problem: 'does not exist.' });
  }
  const real = realpathSync(path);
  const roots = [opts.cwd, ...opts.allowedRoots].map((r) => (existsSync(r) ? realpathSync(r) : resolve(r)));
  if (!roots.some((root) => isInside(root, real))) {
    throw codedError('PATH_OUTSIDE_ALLOWED', { path: printable(input), root: 'the folders installs may come from', reason: roots.join(', ') });
  }
  return real;
}

/** A build stored in the fleet's database: `fleet:<package>` (the newest) or `fleet:<package>@<version>`. */
export interface FleetSource {
  name: string;
  version?: string;
}

export const FLEET_SOURCE_PREFIX = 'fleet:';

/** `fleet:<package>[@<version>]` parsed (the name as npm allows it, an exact version), or undefined for any other source. */
export function parseFleetSource(raw: string): FleetSource | undefined {
  const input = raw.trim();
  if (!input.startsWith(FLEET_SOURCE_PREFIX)) return undefined;
  const rest = input.slice(FLEET_SOURCE_PREFIX.length);
  const at = rest.lastIndexOf('@');
  const name = at > 0 ? rest.slice(0, at) : rest;
  const version = at > 0 ? rest.slice(at + 1) : undefined;
  assertPackageName(name);
  if (version !== undefined && (version.length > 100 || semver.valid(version) !== version)) {
    throw codedError('INVALID_SOURCE', { source: `"${printable(input)}"`, problem: 'is not of the form fleet:<package>@<exact version> (search --fleet lists them).' });
  }
  return version === undefined ? { name } : { name, version };
}

/**
 * What the user typed, turned into an install source: a registry name ("weather",
 * "@elizaos/plugin-weather"), "name@range", "github:owner/repo#ref", a local folder or a .tgz.
 * Anything else is refused with what is allowed; `fleet:` sources are the management service's
 * (parseFleetSource) and never reach here on an agent that can install them.
 */
export function parseInstallSource(raw: string, opts: { cwd: string; allowedRoots?: string[] }): InstallSource {
  const input = raw.trim();
  const allowedRoots = opts.allowedRoots ?? [];
  if (input === '' || input.length > 500) {
    throw codedError('INVALID_SOURCE', { source: 'What to install', problem: 'is missing or too long: give a plugin name, name@version, github:owner/repo or a path.' });
  }
  // eslint-disable-next-line no-control-regex -- control characters are refused
  if (/[\u0000-\u001f\u007f]/.test(input)) {
    throw codedError('INVALID_PLUGIN_NAME', { name: printable(input), problem: 'contains control characters.' });
  }
  if (input.startsWith(FLEET_SOURCE_PREFIX)) {
    throw codedError('FLEET_NOT_IN_USE', { what: `"${printable(input)}"` });
  }
  if (input.startsWith('github:')) {
    const m = GITHUB.exec(input);
    if (!m || m[2]?.includes('..') || m[3]?.includes('..')) {
      throw codedError('INVALID_SOURCE', { source: `"${printable(input)}"`, problem: 'is not of the form github:owner/repo#ref.' });
    }
    return { kind: 'github', owner: m[1] ?? '', repo: m[2] ?? '', ref: m[3] };
  }
  const looksLikePath = input.startsWith('.') || isAbsolute(input) || input.startsWith('~') || input.endsWith('.tgz') || input.endsWith('.tar.gz');
  if (looksLikePath) {
    if (input.startsWith('~')) {
      throw codedError('INVALID_SOURCE', { source: `"${printable(input)}"`, problem: 'starts with "~": write the full path instead.' });
    }
    const path = localPath(input, { cwd: opts.cwd, allowedRoots });
    if (statSync(path).isDirectory()) return { kind: 'folder', path };
    if (!/\.(tgz|tar\.gz)$/.test(path)) {
      throw codedError('INVALID_SOURCE', { source: printable(input), problem: 'is neither a folder nor a .tgz tarball.' });
    }
    return { kind: 'tarball', path };
  }
  const at = input.lastIndexOf('@');
  const namePart = at > 0 ? input.slice(0, at) : input;
  if (FORBIDDEN.test(namePart)) {
    throw codedError('INVALID_PLUGIN_NAME', { name: printable(namePart), problem: 'contains characters a package name cannot have.' });
  }
  if (at > 0) {
    const name = namePart;
    const range = input.slice(at + 1);
    assertPackageName(name);
    if (range.length > 100 || /[;&|`$\\'"]/.test(range)) {
      throw codedError('INVALID_VERSION', { range: printable(range) });
    }
    if (!semver.validRange(range) && range !== 'latest') {
      throw codedError('INVALID_VERSION', { range: printable(range) });
    }
    return { kind: 'npm', name, range };
  }
  if (input.includes('/') && !input.startsWith('@')) {
    throw codedError('INVALID_PLUGIN_NAME', { name: printable(input), problem: 'has a "/" outside a scope: only @scope/name may have one.' });
  }
  assertPackageName(input.toLowerCase());
  return { kind: 'registry', name: input.toLowerCase() };
}
