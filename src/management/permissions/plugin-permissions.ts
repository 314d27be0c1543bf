import { z } from 'zod';
import { isHostName, normalizeHostName } from '../../shared/sandbox/host-name.js';

/*
 * The one vocabulary of what an isolated plugin may do, as declared in its package.json under
 * `agentConfig.permissions`. Every field is optional; what is left out is the least (no network, no
 * model calls, no storage, no task workers, no events, no routes, no posting). Creation writes it from
 * the specification; the consent request, the stored approval and the run-time checks all read it
 * through `readDeclaredPermissions`.
 */

export const PERMISSION_LIMITS = {
  hosts: 50,
  modelCallsPerHour: 10_000,
  storageMb: 4_096,
  names: 50,
  nameLength: 200,
} as const;

const name = z.string().trim().min(1).max(PERMISSION_LIMITS.nameLength);
const names = z.array(name).max(PERMISSION_LIMITS.names);
/** A route as the runtime keys it: `GET /path`. */
export const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|STATIC) \/[^\s]*$/;

export const PermissionsSchema = z.strictObject({
  /** Host names the plugin may reach over the egress proxy. */
  network: z.array(z.string().max(253)).max(PERMISSION_LIMITS.hosts).default([]),
  /** runtime.useModel calls in any hour. */
  modelCallsPerHour: z.number().int().min(0).max(PERMISSION_LIMITS.modelCallsPerHour).default(0),
  /** Its data folder and its cache entries together, in MB. */
  storageMb: z.number().int().min(0).max(PERMISSION_LIMITS.storageMb).default(0),
  /** Task worker names it may register. */
  taskWorkers: names.default([]),
  /** Event names it may handle or emit. */
  events: names.default([]),
  /** Routes it may serve, as `GET /path`. */
  routes: z.array(z.string().trim().regex(ROUTE_KEY, 'a route is written "GET /path"')).max(PERMISSION_LIMITS.names).default([]),
  /** Whether it may post messages to rooms (runtime.sendMessageToTarget). */
  postToRooms: z.boolean().default(false),
});

/** What a plugin declared, normalized: every field present, lists sorted and distinct. */
export type PluginPermissions = z.output<typeof PermissionsSchema>;

export const LEAST_PERMISSIONS: PluginPermissions = Object.freeze({
  network: [],
  modelCallsPerHour: 0,
  storageMb: 0,
  taskWorkers: [],
  events: [],
  routes: [],
  postToRooms: false,
});

export interface DeclaredPermissions {
  permissions: PluginPermissions;
  /** Whether package.json declared anything at all. */
  declared: boolean;
  /** What was wrong with the declaration (it was then taken as the least), for the install log and the consent request. */
  problems: string[];
}

const sorted = (values: readonly string[]): string[] => [...new Set(values)].sort();

/** Normalizes a parsed declaration: distinct sorted lists, host names lower-cased; bad hosts left out and reported. */
export function normalizePermissions(input: PluginPermissions, problems: string[] = []): PluginPermissions {
  const hosts: string[] = [];
  for (const entry of input.network) {
    const host = normalizeHostName(entry);
    if (isHostName(host)) hosts.push(host);
    else problems.push(`${JSON.stringify(entry).slice(0, 100)} is not a host name and was left out.`);
  }
  return {
    network: sorted(hosts),
    modelCallsPerHour: input.modelCallsPerHour,
    storageMb: input.storageMb,
    taskWorkers: sorted(input.taskWorkers),
    events: sorted(input.events),
    routes: sorted(input.routes),
    postToRooms: input.postToRooms,
  };
}

/** Reads `agentConfig.permissions` from a package.json's `agentConfig`; anything invalid yields the least, with the reason. */
export function readDeclaredPermissions(agentConfig: unknown): DeclaredPermissions {
  const raw = agentConfig && typeof agentConfig === 'object' ? (agentConfig as Record<string, unknown>).permissions : undefined;
  if (raw === undefined) return { permissions: LEAST_PERMISSIONS, declared: false, problems: [] };
  const parsed = PermissionsSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `agentConfig.permissions${first.path.length ? `.${first.path.join('.')}` : ''}` : 'agentConfig.permissions';
    return { permissions: LEAST_PERMISSIONS, declared: true, problems: [`${where}: ${first?.message ?? 'invalid'}; the plugin gets the least permissions.`] };
  }
  const problems: string[] = [];
  return { permissions: normalizePermissions(parsed.data, problems), declared: true, problems };
}

/** One line per permission that differs, for the consent request on upgrade or replace. Empty when equal. */
export function permissionDiff(before: PluginPermissions, after: PluginPermissions): string[] {
  const lines: string[] = [];
  const list = (label: string, a: readonly string[], b: readonly string[]) => {
    const added = b.filter((x) => !a.includes(x));
    const removed = a.filter((x) => !b.includes(x));
    if (added.length) lines.push(`+ ${label}: ${added.join(', ')}`);
    if (removed.length) lines.push(`- ${label}: ${removed.join(', ')}`);
  };
  list('network', before.network, after.network);
  if (before.modelCallsPerHour !== after.modelCallsPerHour) lines.push(`~ model calls per hour: ${before.modelCallsPerHour} → ${after.modelCallsPerHour}`);
  if (before.storageMb !== after.storageMb) lines.push(`~ storage: ${before.storageMb} MB → ${after.storageMb} MB`);
  list('task workers', before.taskWorkers, after.taskWorkers);
  list('events', before.events, after.events);
  list('routes', before.routes, after.routes);
  if (before.postToRooms !== after.postToRooms) lines.push(`${after.postToRooms ? '+' : '-'} post to rooms`);
  return lines;
}

/** The consent request's lines: what the plugin asks for, in words a user can judge. */
export function describePermissions(p: PluginPermissions): string[] {
  return [
    p.network.length ? `reach ${p.network.join(', ')}` : 'no network',
    p.modelCallsPerHour ? `up to ${p.modelCallsPerHour} model calls an hour` : 'no model calls',
    p.storageMb ? `store up to ${p.storageMb} MB` : 'no storage',
    p.taskWorkers.length ? `task workers ${p.taskWorkers.join(', ')}` : 'no task workers',
    p.events.length ? `events ${p.events.join(', ')}` : 'no events',
    p.routes.length ? `routes ${p.routes.join(', ')}` : 'no routes',
    p.postToRooms ? 'post messages to rooms it is invoked from or its settings name' : 'no posting to rooms',
  ];
}
