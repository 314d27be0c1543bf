import { logger as coreLogger, type Logger } from '@elizaos/core';
import { codedError, type PluginDynamicError } from '../../errors.js';
import { LEAST_PERMISSIONS, type PluginPermissions } from './plugin-permissions.js';

/*
 * The permissions each isolated plugin was granted for its current activation, per agent runtime.
 * The placement grants them (effectivePermissions) right before it starts the plugin's host; every
 * check on the agent's side of the boundary reads them here by the runtime and the plugin's package
 * name: task worker registration, event emits, posting, model calls, the storage quota, and which
 * events and routes get a stub. A plugin never granted anything has the least.
 */

type GrantLogger = Pick<Logger, 'warn'>;

/** Refusals logged per activation; past it one line says the rest are not logged. */
const MAX_LOGGED = 50;
/** Refusals kept per plugin for its status, newest last. */
const MAX_KEPT = 20;

interface Grant {
  permissions: PluginPermissions;
  logger: GrantLogger;
  logged: number;
}

interface RuntimeGrants {
  grants: Map<string, Grant>;
  refusals: Map<string, string[]>;
}

const byRuntime = new WeakMap<object, RuntimeGrants>();

function grantsOf(runtime: object): RuntimeGrants {
  let entry = byRuntime.get(runtime);
  if (!entry) {
    entry = { grants: new Map(), refusals: new Map() };
    byRuntime.set(runtime, entry);
  }
  return entry;
}

/** Grants `permissions` to the plugin for its next activation in this runtime (replacing any earlier grant). */
export function grantPermissions(runtime: object, packageName: string, permissions: PluginPermissions, logger: GrantLogger): void {
  grantsOf(runtime).grants.set(packageName, { permissions, logger, logged: 0 });
}

/** What the plugin may do now; the least when nothing was granted. */
export function grantedPermissions(runtime: object, packageName: string): PluginPermissions {
  return byRuntime.get(runtime)?.grants.get(packageName)?.permissions ?? LEAST_PERMISSIONS;
}

/**
 * Refuses something the plugin did not declare: logs a line naming the plugin and the item (the
 * first MAX_LOGGED of an activation), keeps it for the plugin's status, and returns the error to
 * give the plugin. `item` reads after "may not": "register task worker x", "emit event Y".
 */
export function refuseUndeclared(runtime: object, packageName: string, item: string): PluginDynamicError {
  const entry = grantsOf(runtime);
  const grant = entry.grants.get(packageName);
  const error = codedError('PERMISSION_NOT_DECLARED', { plugin: packageName, item });
  const log = grant?.logger ?? coreLogger;
  const logged = grant ? ++grant.logged : 1;
  if (logged <= MAX_LOGGED) log.warn({ src: 'plugin-dynamic:permissions', plugin: packageName, refused: item }, error.message);
  else if (logged === MAX_LOGGED + 1) log.warn({ src: 'plugin-dynamic:permissions', plugin: packageName }, `${packageName} was refused more than ${MAX_LOGGED} times; further refusals are not logged.`);
  const kept = (entry.refusals.get(packageName) ?? []).filter((r) => r !== item);
  kept.push(item);
  entry.refusals.set(packageName, kept.slice(-MAX_KEPT));
  return error;
}

/** What the plugin was refused lately (distinct, newest last), for its status. */
export function permissionRefusals(runtime: object, packageName: string): readonly string[] {
  return byRuntime.get(runtime)?.refusals.get(packageName) ?? [];
}
