import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { codedError, isPluginDynamicError, PluginDynamicError } from '../../errors.js';
import { isInside } from '../../shared/paths.js';
import { hashTree } from '../../shared/tree-hash.js';
import type { ProcessSpec } from '../../shared/process-runner.js';
import { openResourceGroup, type Sandbox } from '../../shared/sandbox/index.js';
import type { InstalledPackage, InstallSource, RegistryEntry } from '../types.js';
import { agentNodeModules, agentOverrides, agentPackageDir } from '../../shared/npm/agent-packages.js';
import { checkInstallPolicy } from './install-policy.js';
import { inspectPluginModule } from './inspect-plugin-module.js';
import { LOCKFILE, verifyLockfile } from './lockfile.js';
import { npmComplaint, npmRegistry, runNpm, type NpmOptions } from '../../shared/npm/npm-client.js';
import { checkRegistrySignatures } from './registry-signatures.js';
import { unsignedSource, type SignatureCheck } from './signature-check.js';
import { declaredSettings, entryFile, readPluginManifest } from './plugin-manifest.js';
import { resolvePublished, sourceForRegistryEntry } from './resolve-version.js';

export interface InstallerOptions {
  dataDir: string;
  timeoutMs: number;
  outputCapBytes: number;
  allowInstallScripts: string[];
  resolveRegistryEntry: (name: string, signal?: AbortSignal) => Promise<RegistryEntry>;
  /**
   * Isolation for every npm run (view, pack, install, ci: network on, writes only to the plugin's
   * folder and npm's cache) and for the import check, the first time the package's code runs.
   * Without it both still run as child processes with a scrubbed environment (activation runs the
   * code in-process anyway).
   */
  sandbox?: () => Promise<Sandbox | undefined>;
}

/** What a package's import check may use: it only loads the module and lists what it declares. */
const IMPORT_CHECK_BOUNDS = { memoryBytes: 1024 * 1024 * 1024, maxProcesses: 128 };

/** Refuses a package whose dist/ is not, byte for byte, the build its creation job checked. */
async function checkShippedHash(packageDir: string, expected: string): Promise<void> {
  const actual = await hashTree(join(packageDir, 'dist')).catch(() => undefined);
  if (actual?.sha256 !== expected) {
    throw codedError('SHIPPED_BUILD_MISMATCH', { plugin: basename(packageDir), actual: actual?.sha256 ?? '(unreadable)', expected });
  }
}

/** A folder name derived from the package name, never from raw input. */
export function installFolderName(packageName: string): string {
  return packageName.replace(/^@/, '').replace(/\//g, '__');
}

/**
 * Installs plugin packages, each into its own folder under <data>/plugins, with npm as a child
 * process (no scripts, scrubbed environment, bounded), linked to the host's single @elizaos/core,
 * checked by importing it in a child process. Work happens in a staging folder that becomes the
 * plugin's folder only when every check passed: a failure leaves nothing behind. The folder keeps
 * its package.json and lockfile (every package pinned by integrity), from which `restore` reinstalls
 * the same bytes with `npm ci`. Every npm run is inside the sandbox when one is available.
 */
export class PluginInstaller {
  private readonly pluginsDir: string;

  constructor(private readonly opts: InstallerOptions) {
    this.pluginsDir = join(opts.dataDir, 'plugins');
  }

  /**
   * `shippedHash`, when given, is the sha256 (see hashTree) of the package's dist/ as its creation job
   * built it: the installed dist/ must hash the same, or nothing is installed (SHIPPED_BUILD_MISMATCH).
   */
  async install(source: InstallSource, opts: { signal?: AbortSignal; shippedHash?: string } = {}): Promise<InstalledPackage> {
    opts.signal?.throwIfAborted();
    await mkdir(this.pluginsDir, { recursive: true });
    await this.linkHostModules();
    const staging = join(this.pluginsDir, `.staging-${randomBytes(6).toString('hex')}`);
    const sandbox = await this.opts.sandbox?.();
    const overrides = await agentOverrides(this.opts.dataDir);
    const sourcePath = source.kind === 'folder' || source.kind === 'tarball' ? [source.path] : [];
    const npm = this.npmOptions(staging, overrides, sandbox, opts.signal, sourcePath);
    await mkdir(staging, { recursive: true });
    try {
      const target = await this.npmSpec(source, npm);
      await writeFile(join(staging, 'package.json'), JSON.stringify({ name: 'plugin-dynamic-install', private: true, overrides }, null, 2));
      const installed = await runNpm(['install', '--ignore-scripts', '--save-exact', '--no-audit', '--no-fund', target.spec], npm);
      if (!installed.ok) {
        throw codedError('INSTALL_FAILED', { subject: 'npm', problem: `could not install ${target.label}: ${npmComplaint(installed)}` });
      }
      // The lockfile is what a restore reinstalls from: every package in it must be pinned.
      const lock = await verifyLockfile(staging);
      const deps = (JSON.parse(await readFile(join(staging, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
      const packageName = Object.keys(deps)[0];
      if (!packageName) throw codedError('INSTALL_FAILED', { subject: 'npm', problem: `installed nothing for ${target.label}.` });
      const manifest = await readPluginManifest(join(staging, 'node_modules', packageName));
      checkInstallPolicy(manifest, { allowInstallScripts: this.opts.allowInstallScripts });
      const entry = entryFile(manifest);
      if (!existsSync(entry)) {
        throw codedError('NOT_A_PLUGIN', { subject: manifest.name, problem: `has no ${relative(manifest.dir, entry)} (published without its build?).` });
      }
      await this.checkSharedCore(manifest.dir, staging);
      if (opts.shippedHash !== undefined) await checkShippedHash(manifest.dir, opts.shippedHash);
      const policy = { writable: [], readOnly: [staging, agentNodeModules(), join(this.opts.dataDir, 'node_modules')], network: false };
      // The package's code runs here for the first time: sandboxed, and bounded in memory and
      // processes by a control group of its own when control groups can be used.
      const group = sandbox ? openResourceGroup(`install-${randomBytes(4).toString('hex')}`, IMPORT_CHECK_BOUNDS) : undefined;
      const inspecting = inspectPluginModule(entry, {
        timeoutMs: Math.min(this.opts.timeoutMs, 60_000),
        home: join(this.opts.dataDir, 'npm-home'),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(sandbox
          ? {
              wrap: (spec: ProcessSpec) => {
                const sandboxed = sandbox.wrap(spec, policy);
                return group ? group.wrap(sandboxed) : sandboxed;
              },
            }
          : {}),
        ...(group ? { boundsHit: () => group.takeBoundsHit() } : {}),
      }).finally(() => group?.dispose());
      // The registry's signatures are checked meanwhile (network, not CPU).
      const signing: Promise<SignatureCheck> =
        target.origin === 'registry'
          ? checkRegistrySignatures(lock, manifest.name, {
              registry: npmRegistry(this.opts.dataDir),
              timeoutMs: Math.min(this.opts.timeoutMs, 30_000),
              ...(opts.signal ? { signal: opts.signal } : {}),
            })
          : Promise.resolve(unsignedSource(target.origin === 'github' ? 'github' : 'folder'));
      const [inspection, signatures] = await Promise.all([inspecting, signing]);
      const finalDir = join(this.pluginsDir, installFolderName(manifest.name));
      if (existsSync(finalDir)) {
        throw codedError('ALREADY_INSTALLED', { plugin: manifest.name, origin: '', advice: 'uninstall it first' });
      }
      await rename(staging, finalDir);
      return {
        packageName: manifest.name,
        pluginName: inspection.pluginName,
        version: manifest.version,
        installDir: finalDir,
        entry: join(finalDir, relative(staging, entry)),
        settings: declaredSettings(manifest),
        components: inspection.components,
        source,
        unsandboxed: sandbox === undefined,
        signatures,
      };
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      // Any other failure is wrapped with its own words.
      throw isPluginDynamicError(error) ? error : new PluginDynamicError('INSTALL_FAILED', String(error), { cause: error });
    }
  }

  /**
   * Brings back the files of an installed plugin whose folder kept its package.json and lockfile but
   * lost node_modules (deleted, or the data folder copied without it): `npm ci` reinstalls exactly
   * the locked packages and checks each against its integrity hash. Resolves false when nothing was
   * missing.
   */
  async restore(pkg: Pick<InstalledPackage, 'packageName' | 'installDir' | 'entry'>, opts: { signal?: AbortSignal } = {}): Promise<boolean> {
    opts.signal?.throwIfAborted();
    if (!isInside(this.pluginsDir, pkg.installDir) || pkg.installDir === this.pluginsDir) {
      throw codedError('PATH_OUTSIDE_ALLOWED', { path: pkg.installDir, root: 'the plugin folders of this data directory', reason: 'not one of them' });
    }
    if (existsSync(pkg.entry)) return false;
    const reinstall = `uninstall ${pkg.packageName} and install it again`;
    if (!existsSync(join(pkg.installDir, LOCKFILE)) || !existsSync(join(pkg.installDir, 'package.json'))) {
      throw codedError('RESTORE_FAILED', { subject: `${pkg.packageName}'s files`, problem: `are gone and its folder has no ${LOCKFILE} to reinstall them from; ${reinstall}.` });
    }
    await verifyLockfile(pkg.installDir);
    await this.linkHostModules();
    const overrides = await agentOverrides(this.opts.dataDir);
    const recorded = (JSON.parse(await readFile(join(pkg.installDir, 'package.json'), 'utf8')) as { overrides?: Record<string, string> }).overrides ?? {};
    const moved = Object.keys(overrides).filter((name) => recorded[name] !== undefined && recorded[name] !== overrides[name]);
    if (moved.length > 0) {
      // The lockfile links to the host's packages by path; ci would link to where they used to be.
      throw codedError('RESTORE_FAILED', { subject: pkg.packageName, problem: `was installed against ${moved.join(', ')} at another path than this agent's; ${reinstall}.` });
    }
    const npm = this.npmOptions(pkg.installDir, overrides, await this.opts.sandbox?.(), opts.signal);
    const result = await runNpm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'], npm);
    if (!result.ok) {
      throw codedError('RESTORE_FAILED', { subject: 'npm ci', problem: `could not reinstall ${pkg.packageName} from its lockfile: ${npmComplaint(result)}` });
    }
    await this.checkSharedCore(join(pkg.installDir, 'node_modules', pkg.packageName), pkg.installDir);
    if (!existsSync(pkg.entry)) {
      throw codedError('RESTORE_FAILED', { subject: 'npm ci', problem: `ran, but ${relative(pkg.installDir, pkg.entry)} is still missing; ${reinstall}.` });
    }
    return true;
  }

  /** Removes a plugin's folder; refuses anything outside the plugins folder. */
  async uninstall(pkg: Pick<InstalledPackage, 'installDir'>): Promise<void> {
    if (!isInside(this.pluginsDir, pkg.installDir) || pkg.installDir === this.pluginsDir) {
      throw codedError('PATH_OUTSIDE_ALLOWED', { path: pkg.installDir, root: 'the plugin folders of this data directory', reason: 'not one of them' });
    }
    await rm(pkg.installDir, { recursive: true, force: true });
  }

  /** How npm runs for one folder: bounded, cancellable, sandboxed when a sandbox is given. */
  private npmOptions(
    cwd: string,
    overrides: Record<string, string>,
    sandbox: Sandbox | undefined,
    signal: AbortSignal | undefined,
    sources: string[] = [],
  ): NpmOptions {
    // Overrides link the host's packages by file: path, so npm must be able to read them.
    const linked = Object.values(overrides)
      .filter((spec) => spec.startsWith('file:'))
      .map((spec) => spec.slice('file:'.length));
    return {
      cwd,
      dataDir: this.opts.dataDir,
      timeoutMs: this.opts.timeoutMs,
      outputCapBytes: this.opts.outputCapBytes,
      ...(signal ? { signal } : {}),
      ...(sandbox ? { sandbox, readOnly: [agentNodeModules(), ...linked, ...sources] } : {}),
    };
  }

  /**
   * The npm argument for a source, after the checks that can run before anything is fetched, and
   * where the package comes from (only the npm registry signs what it serves).
   */
  private async npmSpec(source: InstallSource, npm: NpmOptions): Promise<{ spec: string; label: string; origin: 'registry' | 'github' | 'local' }> {
    switch (source.kind) {
      case 'registry': {
        const entry = await this.opts.resolveRegistryEntry(source.name, npm.signal);
        const resolved = await sourceForRegistryEntry(entry, npm);
        return this.npmSpec(resolved, npm);
      }
      case 'npm': {
        const published = await resolvePublished(source.name, source.range, npm);
        checkInstallPolicy({ ...published, dir: npm.cwd }, { allowInstallScripts: this.opts.allowInstallScripts });
        return { spec: `${source.name}@${published.version}`, label: `${source.name}@${published.version}`, origin: 'registry' };
      }
      case 'github':
        // As a tarball over https: npm runs no git (it is set to refusal), and the lockfile pins the bytes.
        return {
          spec: `https://codeload.github.com/${source.owner}/${source.repo}/tar.gz/${encodeURIComponent(source.ref ?? 'HEAD')}`,
          label: `github:${source.owner}/${source.repo}`,
          origin: 'github',
        };
      case 'tarball': {
        // Kept in the plugin's folder, so a restore never depends on the original file.
        const copy = join(npm.cwd, basename(source.path));
        await copyFile(source.path, copy);
        return { spec: copy, label: source.path, origin: 'local' };
      }
      case 'folder': {
        checkInstallPolicy(await readPluginManifest(source.path), { allowInstallScripts: this.opts.allowInstallScripts });
        // Packed first, so the install is a copy of what the folder publishes, never a link to it.
        const packed = await runNpm(['pack', source.path, '--pack-destination', npm.cwd, '--json'], npm);
        if (!packed.ok) throw codedError('INSTALL_FAILED', { subject: `npm pack of ${source.path}`, problem: `failed: ${npmComplaint(packed)}` });
        const file = (JSON.parse(packed.stdout) as { filename?: string }[])[0]?.filename;
        if (!file) throw codedError('INSTALL_FAILED', { subject: `npm pack of ${source.path}`, problem: 'produced no tarball.' });
        return { spec: join(npm.cwd, file), label: source.path, origin: 'local' };
      }
    }
  }

  /** Installed plugins must use the host's @elizaos/core, or their Service class is not the host's. */
  private async checkSharedCore(packageDir: string, staging: string): Promise<void> {
    const candidates = [join(packageDir, 'node_modules', '@elizaos', 'core'), join(staging, 'node_modules', '@elizaos', 'core')];
    const host = await realpath(agentPackageDir('@elizaos/core'));
    for (const candidate of candidates) {
      if (!existsSync(candidate)) continue;
      if ((await realpath(candidate)) !== host) {
        throw codedError('INSTALL_FAILED', { subject: 'The plugin', problem: "brought its own copy of @elizaos/core instead of using the agent's." });
      }
    }
  }

  /**
   * Some published plugins import packages they never declare (zod, which core has). Node finds
   * those only in a parent folder's node_modules, so the data folder gets a link to the host's.
   */
  private async linkHostModules(): Promise<void> {
    const link = join(this.opts.dataDir, 'node_modules');
    const existing = await lstat(link).catch(() => undefined);
    if (existing) return;
    await symlink(agentNodeModules(), link, 'dir').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
