import { lstat, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginDynamicError } from '../../errors.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { processFailure, runProcess, scrubbedEnv } from '../../shared/process-runner.js';

/**
 * `npm install` in a workspace whose specification adds dependencies: registry packages only (the
 * specification schema refused anything else), no install scripts, peers not pulled in (the
 * toolchain links the host's @elizaos/core afterwards).
 */
export async function installWorkspaceDependencies(
  workspaceDir: string,
  opts: { dataDir: string; timeoutMs: number; outputCapBytes: number; signal: AbortSignal },
): Promise<void> {
  await detachToolchainLinks(workspaceDir);
  const result = await runProcess({
    command: 'npm',
    args: ['install', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-package-lock'],
    cwd: workspaceDir,
    env: scrubbedEnv(join(opts.dataDir, 'npm-home'), { npm_config_cache: join(opts.dataDir, 'npm-cache') }),
    timeoutMs: opts.timeoutMs,
    maxOutputBytes: opts.outputCapBytes,
    signal: opts.signal,
  });
  if (result.cancelled) throw new PluginDynamicError('JOB_CANCELLED', 'Cancelled while installing dependencies.');
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
