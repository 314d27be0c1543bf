import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, symlink, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { PluginDynamicError } from '../../errors.js';
import { hostPackageDir } from '../../management/install/host-packages.js';

/** The packages every generated workspace builds, lints and tests with, and the versions required. */
const PACKAGES: Record<string, string> = {
  typescript: '~5.9.0',
  eslint: '^9.0.0',
  '@eslint/js': '^9.0.0',
  'typescript-eslint': '^8.0.0',
  vitest: '^3.0.0',
  '@types/node': '>=20.0.0',
  '@elizaos/core': '~1.7.0',
};

export interface Toolchain {
  /** A node_modules folder of links to the host's copies of the packages above. */
  nodeModules: string;
  /** JavaScript entry of each tool, run as `node <entry>`: no shell, no .bin shims. */
  bin: { tsc: string; eslint: string; vitest: string };
  versions: Record<string, string>;
}

function versionOf(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The shared toolchain: one folder of links to the TypeScript, ESLint, Vitest and ElizaOS core this
 * package already depends on, prepared once and linked into every workspace, so no workspace runs
 * `npm install` for its tools. Built in a temp folder and renamed into place, so a half-made
 * toolchain is never used.
 */
export async function ensureToolchain(dataDir: string, opts: { signal?: AbortSignal } = {}): Promise<Toolchain> {
  opts.signal?.throwIfAborted();
  const dirs: Record<string, string> = {};
  const versions: Record<string, string> = {};
  for (const [name, range] of Object.entries(PACKAGES)) {
    let dir: string;
    try {
      dir = hostPackageDir(name);
    } catch (error) {
      throw new PluginDynamicError('TOOLCHAIN_UNAVAILABLE', `${name} is not installed with plugin-dynamic.`, { cause: error });
    }
    if (!existsSync(join(dir, 'package.json'))) {
      throw new PluginDynamicError('TOOLCHAIN_UNAVAILABLE', `${name} is not installed with plugin-dynamic.`);
    }
    const version = versionOf(dir);
    if (!semver.satisfies(version, range)) {
      throw new PluginDynamicError('TOOLCHAIN_UNAVAILABLE', `${name} ${version} is installed; generated plugins need ${range}.`);
    }
    dirs[name] = dir;
    versions[name] = version;
  }
  const root = join(dataDir, 'toolchain');
  const nodeModules = join(root, 'node_modules');
  const complete = await Promise.all(Object.keys(PACKAGES).map((n) => lstat(join(nodeModules, n)).then(() => true, () => false)));
  if (!complete.every(Boolean)) {
    const temp = join(dataDir, `.toolchain-${randomBytes(5).toString('hex')}`);
    for (const [name, dir] of Object.entries(dirs)) {
      const link = join(temp, 'node_modules', name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(dir, link, 'dir');
    }
    await rm(root, { recursive: true, force: true });
    await rename(temp, root);
  }
  return {
    nodeModules,
    bin: {
      tsc: join(dirs['typescript'] ?? '', 'bin', 'tsc'),
      eslint: join(dirs['eslint'] ?? '', 'bin', 'eslint.js'),
      vitest: join(dirs['vitest'] ?? '', 'vitest.mjs'),
    },
    versions,
  };
}

/**
 * Makes the toolchain visible in a workspace: one link for the whole node_modules, or, when the
 * workspace has its own node_modules (dependencies from its specification), one link per package.
 */
export async function linkToolchain(toolchain: Toolchain, workspaceDir: string): Promise<void> {
  const target = join(workspaceDir, 'node_modules');
  const info = await lstat(target).catch(() => undefined);
  if (!info) {
    await symlink(toolchain.nodeModules, target, 'dir');
    return;
  }
  if (info.isSymbolicLink()) {
    await unlink(target);
    await symlink(toolchain.nodeModules, target, 'dir');
    return;
  }
  for (const entry of await readdir(toolchain.nodeModules)) {
    const names = entry.startsWith('@') ? (await readdir(join(toolchain.nodeModules, entry))).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      const link = join(target, name);
      if (await lstat(link).catch(() => undefined)) continue;
      await mkdir(dirname(link), { recursive: true });
      await symlink(join(toolchain.nodeModules, name), link, 'dir');
    }
  }
}
