import { describe, expect, it } from 'vitest';
import { effectivePermissions } from '../../../../src/management/permissions/effective-permissions.js';
import { grantedPermissions, grantPermissions, permissionRefusals, refuseUndeclared } from '../../../../src/management/permissions/permission-grants.js';
import { permittedRecord, routeKey } from '../../../../src/management/permissions/permitted-components.js';
import { LEAST_PERMISSIONS, readDeclaredPermissions } from '../../../../src/management/permissions/plugin-permissions.js';

const recorder = () => {
  const lines: string[] = [];
  return { lines, logger: { warn: (_fields: unknown, message?: string) => void lines.push(String(message)) } };
};

describe('the permissions granted to an isolated plugin', () => {
  it('are the least until the placement grants them, per runtime', () => {
    const runtime = {};
    const other = {};
    expect(grantedPermissions(runtime, 'plugin-a')).toEqual(LEAST_PERMISSIONS);
    grantPermissions(runtime, 'plugin-a', { ...LEAST_PERMISSIONS, postToRooms: true }, recorder().logger);
    expect(grantedPermissions(runtime, 'plugin-a').postToRooms).toBe(true);
    expect(grantedPermissions(other, 'plugin-a').postToRooms).toBe(false);
  });

  it('are what the package declares, its network as the agent setting leaves it', () => {
    const declared = readDeclaredPermissions({ permissions: { network: ['api.a.example'], events: ['E'] } });
    expect(effectivePermissions({ declared, networkHosts: [] })).toEqual({ ...declared.permissions, network: [] });
    expect(effectivePermissions({ declared: readDeclaredPermissions(undefined), networkHosts: [] })).toEqual(LEAST_PERMISSIONS);
  });

  it('refuse with a log line naming the plugin and the item, logged a bounded number of times, kept distinct for the status', () => {
    const runtime = {};
    const { lines, logger } = recorder();
    grantPermissions(runtime, 'plugin-a', LEAST_PERMISSIONS, logger);
    const error = refuseUndeclared(runtime, 'plugin-a', 'register task worker w1');
    expect(error).toMatchObject({ code: 'PERMISSION_NOT_DECLARED' });
    expect(lines[0]).toContain('plugin-a may not register task worker w1');
    for (let i = 0; i < 200; i++) refuseUndeclared(runtime, 'plugin-a', `register task worker w${i % 30}`);
    expect(lines).toHaveLength(51);
    expect(lines[50]).toContain('further refusals are not logged');
    const kept = permissionRefusals(runtime, 'plugin-a');
    expect(kept).toHaveLength(20);
    expect(new Set(kept).size).toBe(20);
    expect(kept.at(-1)).toBe('register task worker w19');
  });

  it("narrow the record's events and routes to the declared ones, refusing each other one", () => {
    const runtime = {};
    const { lines, logger } = recorder();
    grantPermissions(runtime, 'plugin-a', { ...LEAST_PERMISSIONS, events: ['E1'], routes: ['GET /ok'] }, logger);
    const record = { packageName: 'plugin-a', components: { actions: ['A'], events: ['E1', 'E2'], routes: ['GET ok', 'POST /ok', 'GET /other'] } };
    expect(permittedRecord(runtime, record).components).toEqual({ actions: ['A'], events: ['E1'], routes: ['GET ok'] });
    expect(record.components.events).toEqual(['E1', 'E2']);
    expect(lines).toHaveLength(3);
    expect(permissionRefusals(runtime, 'plugin-a')).toEqual(['handle event E2', 'serve route POST /ok', 'serve route GET /other']);
    expect(routeKey('get forecast')).toBe('GET /forecast');
  });
});
