import type { IAgentRuntime } from '@elizaos/core';
import { codedError } from '../errors.js';
import { FLEET_SOURCE_PREFIX, type FleetSource } from '../management/install/parse-install-source.js';
import type { PluginView } from '../management/plugin-view.js';
import { PLUGIN_CREATION_SERVICE } from '../service-types.js';
import type { FleetBuildChoice, FleetBuildEntry } from './fleet-builds.js';

/** What the creation service offers of the fleet (a structural view, so management needs no import of it). */
interface FleetInstaller {
  fleetInUse?: boolean;
  searchFleet?: (query: string, limit?: number) => Promise<FleetBuildEntry[]>;
  installFromFleet?: (packageName: string, opts: { activate?: boolean; choice?: FleetBuildChoice; signal?: AbortSignal }) => Promise<PluginView>;
}

function installerOf(runtime: IAgentRuntime): FleetInstaller | undefined {
  const creation = runtime.getService(PLUGIN_CREATION_SERVICE) as FleetInstaller | null;
  return creation?.fleetInUse ? creation : undefined;
}

/**
 * Installs `fleet:<package>[@version]` through the creation service's fleet (its tarball's sha256
 * checked before anything is extracted, trust tier generated, isolated); FLEET_NOT_IN_USE on PGLite.
 */
export function installFleetSource(runtime: IAgentRuntime, source: FleetSource, opts: { activate?: boolean; signal?: AbortSignal }): Promise<PluginView> {
  const installer = installerOf(runtime);
  if (!installer?.installFromFleet) throw codedError('FLEET_NOT_IN_USE', { what: `Installing ${FLEET_SOURCE_PREFIX}${source.name}` });
  return installer.installFromFleet(source.name, {
    ...(opts.activate !== undefined ? { activate: opts.activate } : {}),
    ...(source.version ? { choice: { version: source.version } } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/**
 * A name said in chat that is exactly a build of the fleet becomes its `fleet:` source, so "install
 * plugin-notes" on a PostgreSQL agent installs what another agent created; any other source, or an
 * agent on PGLite, keeps the source as said.
 */
export async function fleetSourceOf(runtime: IAgentRuntime, source: string): Promise<string> {
  const name = source.trim().toLowerCase();
  if (name.startsWith(FLEET_SOURCE_PREFIX) || !/^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/.test(name)) return source;
  const installer = installerOf(runtime);
  if (!installer?.searchFleet) return source;
  const builds = await installer.searchFleet(name, 50);
  return builds.some((b) => b.packageName === name) ? `${FLEET_SOURCE_PREFIX}${name}` : source;
}
