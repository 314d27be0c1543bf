import type { IAgentRuntime } from '@elizaos/core';
import { PLUGIN_CREATION_SERVICE } from '../service-types.js';
import { FleetBuilds, type FleetBuildEntry } from './fleet-builds.js';
import { openFleetPool } from './fleet-db.js';

/** Searches the fleet's stored builds straight from its database (no agent needed). */
export async function searchFleetDatabase(url: string, query: string, limit: number): Promise<FleetBuildEntry[]> {
  const pool = await openFleetPool(url, 1);
  try {
    const present = await pool.query("SELECT to_regclass('plugin_dynamic_fleet.builds') IS NOT NULL AS ok");
    if (!(present.rows[0] as { ok: boolean } | undefined)?.ok) return [];
    return await new FleetBuilds(pool).search(query, limit);
  } finally {
    await pool.end();
  }
}

/** One line per stored build: name, version, when, tests, review, and that it installs as generated and isolated. */
export function fleetSearchText(query: string, entries: readonly FleetBuildEntry[]): string {
  if (entries.length === 0) return query ? `No build in the fleet database matches "${query}".` : 'The fleet database holds no build yet.';
  const lines = entries.map((e, i) => {
    const m = e.metadata;
    const tests = m.tests ? `, tests ${m.tests.passed}/${m.tests.total}` : '';
    const review = m.review ? `, review ${m.review.score}` : '';
    return `${i + 1}. ${e.packageName}@${m.version} - ${e.description} (built ${e.createdAt.slice(0, 16).replace('T', ' ')}${tests}${review}; ${m.trust}, ${m.isolation}; sha256 ${e.sha256.slice(0, 12)})`;
  });
  return `${query ? `Fleet builds for "${query}":` : 'Fleet builds:'}\n${lines.join('\n')}`;
}

/** What the creation service offers of the fleet (a structural view, so management needs no import of it). */
interface FleetSearcher {
  fleetInUse?: boolean;
  searchFleet?: (query: string, limit?: number) => Promise<FleetBuildEntry[]>;
}

/** The fleet's builds matching `query` for an agent on PostgreSQL; none on PGLite. */
export async function fleetMatches(runtime: IAgentRuntime, query: string, limit: number): Promise<FleetBuildEntry[]> {
  const creation = runtime.getService(PLUGIN_CREATION_SERVICE) as FleetSearcher | null;
  if (!creation?.fleetInUse || !creation.searchFleet) return [];
  return creation.searchFleet(query, limit);
}
