import { join } from 'node:path';
import type { IAgentRuntime } from '@elizaos/core';
import { codedError, isPluginDynamicError } from '../errors.js';
import type { PluginManagementService } from '../management/plugin-management-service.js';
import type { PluginView } from '../management/plugin-view.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../service-types.js';
import type { FleetBuildChoice, FleetBuilds } from './fleet-builds.js';

export interface FleetInstallOptions {
  dataDir: string;
  signal: AbortSignal;
  activate: boolean;
  /** A build with this tarball sha256 or version; the newest build of the package otherwise. */
  choice?: FleetBuildChoice;
  replace?: boolean;
}

/**
 * Installs a build stored in the fleet's database like a registry plugin: its tarball is checked
 * against its sha256 (FLEET_BUILD_MISMATCH, nothing extracted), extracted under the data folder's
 * shipped/ and installed with trust tier `generated` (so isolated by default) and its dist/ hash
 * checked again by the installer. A first install that fails is taken out again.
 */
export async function installFromFleet(runtime: IAgentRuntime, builds: FleetBuilds, packageName: string, opts: FleetInstallOptions): Promise<PluginView> {
  const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
  if (!management) throw codedError('INTERNAL', { what: `The ${PLUGIN_MANAGEMENT_SERVICE} service`, problem: 'is not running.' });
  const shippedRoot = join(opts.dataDir, 'shipped');
  const { dir, entry } = await builds.extract(packageName, shippedRoot, opts.signal, opts.choice);
  const previous = management.list().some((p) => p.packageName === packageName);
  try {
    return await management.install(
      { kind: 'folder', path: dir },
      {
        signal: opts.signal,
        activate: opts.activate,
        trust: 'generated',
        recordSource: { kind: 'generated', jobId: entry.jobId, agentId: entry.agentId },
        allowedRoots: [shippedRoot],
        shippedHash: entry.metadata.distSha256,
        ...(opts.replace ? { replace: true } : {}),
      },
    );
  } catch (error) {
    // Installed and waiting for the user's approval is not a failed install: it stays, inactive, until they answer.
    const waiting = isPluginDynamicError(error) && error.code === 'APPROVAL_REQUIRED';
    if (!waiting && !previous && management.list().some((p) => p.packageName === packageName)) {
      await management.uninstall(packageName).catch(() => undefined);
    }
    throw error;
  }
}
