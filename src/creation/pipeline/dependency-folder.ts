import { lstat, mkdir, readdir, readlink, rm, symlink, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PluginDynamicError } from '../../errors.js';
import { npmComplaint, runNpm } from '../../shared/npm/npm-client.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { safeRemove } from '../../shared/safe-fs/index.js';
import type { Sandbox } from '../../shared/sandbox/index.js';
import { linkToolchain, type Toolchain } from '../toolchain/index.js';

/**
 * Installs a job's dependencies into a folder of their own, outside the workspace: a fresh folder
 * holding only a package.json rebuilt from the validated specification (never the workspace's
 * package.json or .npmrc), registry packages only, no install scripts, no lockfile, peers not pulled
 * in. Inside a sandbox of its own when one is given (see runNpm). The job's sandbox sees the folder
 * read-only; the workspace and the shipped build link to its packages. Resolves its node_modules.
 */
export async function installDependencyFolder(
  dir: string,
  dependencies: Record<string, string>,
  opts: { dataDir: string; timeoutMs: number; outputCapBytes: number; signal: AbortSignal; sandbox?: Sandbox },
): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'package.json'), `${JSON.stringify({ name: 'plugin-dynamic-dependencies', private: true, dependencies }, null, 2)}\n`);
  let result;
  try {
    result = await runNpm(['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-package-lock'], {
      cwd: dir,
      dataDir: opts.dataDir,
      timeoutMs: opts.timeoutMs,
      outputCapBytes: opts.outputCapBytes,
      signal: opts.signal,
      ...(opts.sandbox ? { sandbox: opts.sandbox } : {}),
    });
  } catch (error) {
    if (opts.signal.aborted) throw new PluginDynamicError('JOB_CANCELLED', 'Cancelled while installing dependencies.');
    throw error;
  }
  if (!result.ok) {
    throw new PluginDynamicError('INSTALL_FAILED', `npm install of the specification's dependencies failed: ${npmComplaint(result)}`);
  }
  return join(dir, 'node_modules');
}

/**
 * Gives a folder a node_modules of its own holding one link per package of `dependencyModules`
 * (scoped packages included). Whatever node_modules was there (a link, or a folder a test filled)
 * is removed first; the toolchain is linked in after by linkToolchain.
 */
export async function linkDependencies(dependencyModules: string, targetDir: string): Promise<void> {
  const target = join(targetDir, 'node_modules');
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) await unlink(target);
  else if (existing) await rm(target, { recursive: true, force: true });
  await mkdir(target);
  for (const entry of await readdir(dependencyModules).catch(() => [] as string[])) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? (await readdir(join(dependencyModules, entry))).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      const link = join(target, name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(join(dependencyModules, name), link, 'dir');
    }
  }
}

/** Where each package of the workspace's node_modules must lead: the job's dependencies, then the toolchain. */
async function expectedLinks(toolchain: Toolchain, dependencyModules: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const modules of [dependencyModules, toolchain.nodeModules]) {
    for (const entry of await readdir(modules).catch(() => [] as string[])) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@') ? (await readdir(join(modules, entry))).map((n) => `${entry}/${n}`) : [entry];
      for (const name of names) if (!links.has(name)) links.set(name, join(modules, name));
    }
  }
  return links;
}

/**
 * Makes the workspace's node_modules what the pipeline set up (one link to the toolchain, or a
 * folder of links to the dependency folder and the toolchain), rebuilding it only when a test
 * changed it: a step running beside this one keeps resolving its modules.
 */
export async function linkWorkspaceModules(workspaceDir: string, toolchain: Toolchain, dependencyModules?: string): Promise<void> {
  const target = join(workspaceDir, 'node_modules');
  const info = await lstat(target).catch(() => undefined);
  if (!dependencyModules) {
    if (info?.isSymbolicLink() && (await readlink(target)) === toolchain.nodeModules) return;
    await safeRemove(workspaceDir, 'node_modules');
    await linkToolchain(toolchain, workspaceDir);
    return;
  }
  const expected = await expectedLinks(toolchain, dependencyModules);
  if (info?.isDirectory()) {
    const intact = await Promise.all([...expected].map(async ([name, to]) => (await readlink(join(target, name)).catch(() => undefined)) === to));
    const extra = (await readdir(target)).filter((entry) => !entry.startsWith('@') && !expected.has(entry));
    if (intact.every(Boolean) && extra.length === 0) return;
  }
  await linkDependencies(dependencyModules, workspaceDir);
  await linkToolchain(toolchain, workspaceDir);
}
