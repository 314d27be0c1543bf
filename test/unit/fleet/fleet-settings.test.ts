import { describe, expect, it } from 'vitest';
import { describeDatabase } from '../../../src/fleet/fleet-db.js';
import { loadFleetSettings } from '../../../src/fleet/fleet-settings.js';
import { fleetSearchText } from '../../../src/fleet/fleet-search.js';

describe('the fleet settings', () => {
  it('reads POSTGRES_URL and the PLUGIN_DYNAMIC_FLEET_* values, with defaults', () => {
    const env: Record<string, string> = { POSTGRES_URL: 'postgres://db/x', PLUGIN_DYNAMIC_FLEET_WORKERS: '0', PLUGIN_DYNAMIC_FLEET_SERVER_SLOTS: '3', PLUGIN_DYNAMIC_FLEET_HOST: 'builder-1' };
    expect(loadFleetSettings((k) => env[k])).toEqual({ postgresUrl: 'postgres://db/x', agentWorkers: 0, serverSlots: 3, retryLimit: 2, pollMs: 2000, host: 'builder-1' });
    expect(loadFleetSettings(() => undefined).postgresUrl).toBeUndefined();
  });

  it('names the setting that is wrong', () => {
    expect(() => loadFleetSettings((k) => (k === 'PLUGIN_DYNAMIC_FLEET_SERVER_SLOTS' ? '0' : undefined))).toThrow(
      expect.objectContaining({ code: 'INVALID_SETTING', message: expect.stringContaining('PLUGIN_DYNAMIC_FLEET_SERVER_SLOTS is invalid') as string }),
    );
  });
});

describe('where a PostgreSQL URL points, without its password', () => {
  it('reads TCP and unix socket URLs', () => {
    expect(describeDatabase('postgres://agent:s3cret@db.example:5433/agents')).toBe('db.example:5433/agents');
    expect(describeDatabase('postgresql://postgres@/fleet?host=%2Frun%2Fpostgresql')).toBe('/run/postgresql/fleet');
    expect(describeDatabase('postgresql:///fleet?host=/tmp/pg')).toBe('/tmp/pg/fleet');
    expect(describeDatabase('postgres://agent:s3cret@db.example:5433/agents')).not.toContain('s3cret');
  });
});

describe('search --fleet output', () => {
  it('one line per build with its version, tests, review, tier and isolation', () => {
    const text = fleetSearchText('notes', [
      {
        packageName: 'plugin-notes', sha256: 'a'.repeat(64), description: 'Keeps notes', jobId: 'j', agentId: 'x', createdAt: '2026-12-07T15:00:00.000Z',
        metadata: { version: '0.1.0', distSha256: 'b'.repeat(64), files: 3, tests: { passed: 4, failed: 0, total: 4 }, review: { score: 9, issues: [] }, components: [], trust: 'generated', isolation: 'isolated' },
      },
    ]);
    expect(text).toBe('Fleet builds for "notes":\n1. plugin-notes@0.1.0 - Keeps notes (built 2026-12-07 15:00, tests 4/4, review 9; generated, isolated; sha256 aaaaaaaaaaaa)');
    expect(fleetSearchText('x', [])).toBe('No build in the fleet database matches "x".');
  });
});
