import { codedError, type PluginDynamicError, toPluginDynamicError } from '../errors.js';
import type { KeyedMutex } from '../shared/keyed-mutex.js';
import type { AgentPlugins } from './agent-plugins.js';
import { readPluginManifest, type PluginInstaller } from './install/index.js';
import { tarballPackageName } from './install/tarball-name.js';
import type { InstallOptions } from './install-options.js';
import type { RegistryClient } from './registry/index.js';
import { replaceInstalled, type ReplaceContext } from './replace-transaction.js';
import type { PluginRecord } from './state/plugin-record.js';
import type { InstalledPackage, InstallSource } from './types.js';

const LOG_SRC = 'plugin-dynamic:management';

export interface InstallFlowContext extends Omit<ReplaceContext, 'installPackage' | 'uninstallPackage'> {
  registry: RegistryClient;
  installer: PluginInstaller;
  /** The service's per-plugin lock (installs of one source also run one at a time). */
  mutex: KeyedMutex;
  agentPlugins: AgentPlugins;
}

/**
 * From a parsed source to a stored record: refuses the agent's own plugins and plugins installed
 * already (before anything is written), installs the package, or replaces the installed version
 * when asked to.
 */
export class InstallFlow {
  constructor(private readonly ctx: InstallFlowContext) {}

  run(source: InstallSource, opts: InstallOptions): Promise<PluginRecord> {
    const { ctx } = this;
    const lockKey = source.kind === 'registry' || source.kind === 'npm' ? source.name : JSON.stringify(source);
    return ctx.mutex.run(`install:${lockKey}`, async () => {
      const named = await this.packageNameOf(source, opts.signal);
      if (named) ctx.agentPlugins.refuseInstall(named);
      const previous = named ? ctx.installed.get(named) : undefined;
      if (previous && !opts.replace) throw alreadyInstalled(previous);
      if (previous) return ctx.mutex.run(previous.packageName, async () => this.replace(previous, source, opts));
      const pkg = await this.installPackage(source, opts, lockKey);
      const existing = ctx.installed.get(pkg.packageName);
      if (ctx.agentPlugins.owns(pkg.pluginName) || existing) {
        await ctx.installer.uninstall(pkg).catch(() => undefined);
        if (existing) throw alreadyInstalled(existing);
        ctx.agentPlugins.refuseInstall(pkg.packageName, pkg.pluginName);
      }
      return ctx.installed.put(ctx.newRecord(pkg, source, opts));
    });
  }

  private replace(previous: PluginRecord, source: InstallSource, opts: InstallOptions): Promise<PluginRecord> {
    this.ctx.agentPlugins.refuse(previous);
    return replaceInstalled(
      {
        ...this.ctx,
        installPackage: (s, o, label) => this.installPackage(s, o, label),
        uninstallPackage: (pkg) => this.ctx.installer.uninstall(pkg),
      },
      previous,
      source,
      opts,
    );
  }

  /** The installer's work, its refusal logged here, where it is decided (install policy, sandbox, Node). */
  private installPackage(source: InstallSource, opts: InstallOptions, label: string): Promise<InstalledPackage> {
    return this.ctx.installer
      .install(source, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.shippedHash ? { shippedHash: opts.shippedHash } : {}),
      })
      .catch((error: unknown) => {
        const e = toPluginDynamicError(error);
        this.ctx.runtime.logger.warn({ src: LOG_SRC, source: label, code: e.code }, `[${e.code}] Install refused: ${e.message}`);
        throw error;
      });
  }

  /** The package a source will install, when it can be known before anything is fetched or written. */
  private async packageNameOf(source: InstallSource, signal: AbortSignal | undefined): Promise<string | undefined> {
    switch (source.kind) {
      case 'npm':
        return source.name;
      case 'registry':
        return (await this.ctx.registry.resolve(source.name, { fuzzy: false, ...(signal ? { signal } : {}) })).name;
      case 'folder':
        return (await readPluginManifest(source.path)).name;
      case 'tarball':
        return tarballPackageName(source.path, signal);
      default:
        return undefined;
    }
  }
}

function alreadyInstalled(existing: PluginRecord): PluginDynamicError {
  return codedError(
    'ALREADY_INSTALLED',
    { plugin: `${existing.packageName}@${existing.version}`, origin: '', advice: 'uninstall it first, or ask to replace it' },
    { details: { packageName: existing.packageName, version: existing.version } },
  );
}
