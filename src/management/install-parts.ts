import { join } from 'node:path';
import type { IAgentRuntime } from '@elizaos/core';
import type { PluginDynamicConfig } from '../config.js';
import { bwrapSandbox, bwrapWorks } from '../shared/sandbox/index.js';
import { PluginInstaller } from './install/index.js';
import { installSandbox } from './install/install-sandbox.js';
import { npmViewV1 } from './install/npm-view-v1.js';
import { NpmV1Verifier, RegistryClient } from './registry/index.js';

/** The registry client, the npm 1.x verifier and the installer, wired from the settings. */
export interface InstallParts {
  registry: RegistryClient;
  v1Verifier: NpmV1Verifier;
  installer: PluginInstaller;
}

export function createInstallParts(runtime: IAgentRuntime, config: PluginDynamicConfig): InstallParts {
  // `npm view` runs only npm, never a package's code: sandboxed when bubblewrap works, else as it is.
  const npmSandbox = async () => (config.sandbox !== 'none' && (await bwrapWorks()) ? bwrapSandbox : undefined);
  const registry = new RegistryClient({
    url: config.registryUrl,
    cacheFile: join(config.dataDir, 'cache', 'registry.json'),
    ttlMs: config.registryCacheTtlMs,
    timeoutMs: config.registryTimeoutMs,
    logger: runtime.logger,
  });
  const installer = new PluginInstaller({
    dataDir: config.dataDir,
    timeoutMs: config.installTimeoutMs,
    outputCapBytes: config.outputCapBytes,
    allowInstallScripts: config.allowInstallScripts,
    // An install takes only the name the user wrote (or the CLI's variants of it); a near name is suggested.
    resolveRegistryEntry: (name, signal) => registry.resolve(name, { fuzzy: false, ...(signal ? { signal } : {}) }),
    // An install runs the package's code: it fails closed without a working sandbox (install-sandbox.ts).
    sandbox: () => installSandbox(config.sandbox, runtime.logger),
  });
  const v1Verifier = new NpmV1Verifier({
    view: async (name, signal) =>
      npmViewV1(name, {
        cwd: join(config.dataDir, 'cache', 'npm-view'),
        dataDir: config.dataDir,
        timeoutMs: config.registryTimeoutMs,
        outputCapBytes: config.outputCapBytes,
        signal,
        ...(await npmSandbox().then((sandbox) => (sandbox ? { sandbox } : {}))),
      }),
    timeoutMs: config.registryTimeoutMs * 2,
  });
  return { registry, v1Verifier, installer };
}
