import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rename, rm, symlink, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import semver from 'semver';
import { codedError, PluginDynamicError } from '../../errors.js';
import { agentPackageDir } from '../../shared/npm/agent-packages.js';

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

/** Which package ships each tool, and the name of its command in that package's "bin". */
const TOOLS = { tsc: 'typescript', eslint: 'eslint', vitest: 'vitest' } as const;

export interface Toolchain {
  /** A node_modules folder of links to the host's copies of the packages above. */
  nodeModules: string;
  /** JavaScript entry of each tool, run as `node <entry>`: no shell, no .bin shims. */
  bin: { tsc: string; eslint: string; vitest: string };
  versions: Record<string, string>;
}

interface Manifest {
  version: string;
  bin?: string | Record<string, string>;
}

const unavailable = (problem: string, cause?: unknown): PluginDynamicError =>
  codedError('TOOLCHAIN_UNAVAILABLE', { problem }, cause === undefined ? undefined : { cause });

function manifestOf(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The host's folder, version and manifest of every toolchain package, or TOOLCHAIN_UNAVAILABLE. */
function hostPackages(): { dirs: Record<string, string>; versions: Record<string, string>; manifests: Record<string, Manifest> } {
  const dirs: Record<string, string> = {};
  const versions: Record<string, string> = {};
  const manifests: Record<string, Manifest> = {};
  for (const [name, range] of Object.entries(PACKAGES)) {
    let dir: string;
    try {
      dir = agentPackageDir(name);
    } catch (error) {
      throw unavailable(`${name} is not installed with plugin-dynamic`, error);
    }
    if (!existsSync(join(dir, 'package.json'))) throw unavailable(`${name} is not installed with plugin-dynamic`);
    const manifest = manifestOf(dir);
    if (!semver.satisfies(manifest.version, range)) {
      throw unavailable(`${name} ${manifest.version} is installed; generated plugins need ${range}`);
    }
    dirs[name] = dir;
    versions[name] = manifest.version;
    manifests[name] = manifest;
  }
  return { dirs, versions, manifests };
}

function toolEntry(tool: keyof typeof TOOLS, dirs: Record<string, string>, manifests: Record<string, Manifest>): string {
  const pkg = TOOLS[tool];
  const bin = manifests[pkg]?.bin;
  const relative = typeof bin === 'string' ? bin : bin?.[tool];
  const entry = relative === undefined ? undefined : join(dirs[pkg] ?? '', relative);
  if (entry === undefined || !existsSync(entry)) throw unavailable(`${pkg} has no "${tool}" command`);
  return entry;
}

/** True when every link of the toolchain exists and leads to the host's current copy. */
async function isCurrent(nodeModules: string, dirs: Record<string, string>): Promise<boolean> {
  const checks = Object.entries(dirs).map(async ([name, dir]) => (await readlink(join(nodeModules, name)).catch(() => undefined)) === dir);
  return (await Promise.all(checks)).every(Boolean);
}

/**
 * Puts a finished toolchain folder in place. A plain rename when nothing is there; when a stale
 * one is there it is moved aside first, so the path never holds a half-made toolchain. Another
 * process may win the race: then its (current) toolchain is kept.
 */
async function install(temp: string, root: string, dirs: Record<string, string>, dataDir: string): Promise<void> {
  try {
    await rename(temp, root);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  if (await isCurrent(join(root, 'node_modules'), dirs)) return;
  const aside = join(dataDir, `.toolchain-old-${randomBytes(5).toString('hex')}`);
  await rename(root, aside).catch(() => undefined);
  try {
    await rename(temp, root);
  } catch (error) {
    if (!(await isCurrent(join(root, 'node_modules'), dirs))) throw error;
  } finally {
    await rm(aside, { recursive: true, force: true });
  }
}

async function prepare(dataDir: string): Promise<Toolchain> {
  const { dirs, versions, manifests } = hostPackages();
  const bin = { tsc: toolEntry('tsc', dirs, manifests), eslint: toolEntry('eslint', dirs, manifests), vitest: toolEntry('vitest', dirs, manifests) };
  const root = join(dataDir, 'toolchain');
  const nodeModules = join(root, 'node_modules');
  if (!(await isCurrent(nodeModules, dirs))) {
    await mkdir(dataDir, { recursive: true });
    const temp = join(dataDir, `.toolchain-${randomBytes(5).toString('hex')}`);
    try {
      for (const [name, dir] of Object.entries(dirs)) {
        const link = join(temp, 'node_modules', name);
        await mkdir(dirname(link), { recursive: true });
        await symlink(dir, link, 'dir');
      }
      await install(temp, root, dirs, dataDir);
    } catch (error) {
      throw unavailable(`it could not be linked under ${root}: ${(error as Error).message}`, error);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
  return { nodeModules, bin, versions };
}

// Callers in one process that ask at the same time share one preparation.
const preparing = new Map<string, Promise<Toolchain>>();

/**
 * The shared toolchain: one folder of links to the TypeScript, ESLint, Vitest and ElizaOS core this
 * package already depends on, prepared once and linked into every workspace, so no workspace runs
 * `npm install` for its tools. Built in a temp folder and renamed into place, so a half-made
 * toolchain is never used; links that lead somewhere else (the host was updated) are rebuilt.
 */
export async function ensureToolchain(dataDir: string, opts: { signal?: AbortSignal } = {}): Promise<Toolchain> {
  opts.signal?.throwIfAborted();
  const key = resolve(dataDir);
  let pending = preparing.get(key);
  if (!pending) {
    pending = prepare(key).finally(() => preparing.delete(key));
    preparing.set(key, pending);
  }
  const toolchain = await pending;
  opts.signal?.throwIfAborted();
  return toolchain;
}

/**
 * Makes the toolchain visible in a workspace: one link for the whole node_modules, or, when the
 * workspace has its own node_modules (dependencies from its specification), one link per package
 * the workspace does not already have.
 */
export async function linkToolchain(toolchain: Toolchain, workspaceDir: string): Promise<void> {
  const target = join(workspaceDir, 'node_modules');
  const info = await lstat(target).catch(() => undefined);
  if (!info) {
    await symlink(toolchain.nodeModules, target, 'dir');
    return;
  }
  if (info.isSymbolicLink()) {
    if ((await readlink(target)) === toolchain.nodeModules) return;
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
