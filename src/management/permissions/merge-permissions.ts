import { normalizePermissions, type PluginPermissions } from './plugin-permissions.js';

/** What a generator adds to the specification's permissions (GenerationResult.permissions). */
export type PermissionsAddition = Partial<Pick<PluginPermissions, 'taskWorkers' | 'events' | 'routes' | 'postToRooms' | 'modelCallsPerHour' | 'storageMb'>>;

/**
 * The permissions a generated plugin declares: the specification's, with what its generator's code
 * needs besides (lists joined, the larger model-call and storage figure kept, posting allowed when
 * either asks for it), normalized.
 */
export function mergePermissions(base: PluginPermissions, extra: PermissionsAddition | undefined): PluginPermissions {
  if (!extra) return normalizePermissions(base);
  return normalizePermissions({
    ...base,
    modelCallsPerHour: Math.max(base.modelCallsPerHour, extra.modelCallsPerHour ?? 0),
    storageMb: Math.max(base.storageMb, extra.storageMb ?? 0),
    taskWorkers: [...base.taskWorkers, ...(extra.taskWorkers ?? [])],
    events: [...base.events, ...(extra.events ?? [])],
    routes: [...base.routes, ...(extra.routes ?? [])],
    postToRooms: base.postToRooms || extra.postToRooms === true,
  });
}
