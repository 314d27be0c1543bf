import { lstat, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginDynamicError } from '../../errors.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { runNpm } from '../../management/install/npm-client.js';
import { processFailure } from '../../shared/process-runner.js';
import type { Sandbox } from '../../shared/sandbox/index.js';

/**
 * `npm install` in a workspace whose specification adds dependencies: registry packages only (the
 * specification schema refused anything else), no install scripts, peers not pulled in (the
 * toolchain links the host's @elizaos/core afterwards). Inside the job's sandbox when it has one,
 * with the network on for npm alone and only the workspace and npm's cache writable.
 */
export async function installWorkspaceDependencies(
  workspaceDir: string,
  opts: { dataDir: string; timeoutMs: number; outputCapBytes: number; signal: AbortSignal; sandbox?: Sandbox },
): Promise<void> {
  await detachToolchainLinks(workspaceDir);
  let result;
  try {
    result = await runNpm(['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-package-lock'], {
      cwd: workspaceDir,
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
    const failure = processFailure('npm install of the specification\'s dependencies', result);
    throw new PluginDynamicError('INSTALL_FAILED', failure.message, { cause: failure });
  }
}

/** Adds validated dependencies to the workspace's package.json (the only change a generator may make there). */
export async function addWorkspaceDependencies(workspaceDir: string, dependencies: Record<string, string>): Promise<boolean> {
  const file = join(workspaceDir, 'package.json');
  const pkg = JSON.parse(await readFile(file, 'utf8')) as { dependencies?: Record<string, string> };
  const before = JSON.stringify(pkg.dependencies ?? {});
  pkg.dependencies = { ...pkg.dependencies, ...dependencies };
  if (JSON.stringify(pkg.dependencies) === before) return false;
  await writeFileAtomic(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return true;
}

/**
 * Removes the links to the shared toolchain before npm touches the workspace: npm would otherwise
 * install into the linked folder, or prune the links as extraneous. They are linked again after.
 * npm itself creates no symlinks here (file: and link: dependencies are refused by the schema).
 */
async function detachToolchainLinks(workspaceDir: string): Promise<void> {
  const nodeModules = join(workspaceDir, 'node_modules');
  const info = await lstat(nodeModules).catch(() => undefined);
  if (!info) return;
  if (info.isSymbolicLink()) {
    await unlink(nodeModules);
    return;
  }
  for (const name of await readdir(nodeModules)) {
    const entry = join(nodeModules, name);
    const entryInfo = await lstat(entry);
    if (entryInfo.isSymbolicLink()) await unlink(entry);
    else if (name.startsWith('@') && entryInfo.isDirectory()) {
      for (const scoped of await readdir(entry)) {
        const scopedEntry = join(entry, scoped);
        if ((await lstat(scopedEntry)).isSymbolicLink()) await unlink(scopedEntry);
      }
    }
  }
}
