import type { PermissionsAddition } from '../../../management/permissions/merge-permissions.js';
import type { GeneratedFile } from '../generator.js';

/** Storage the template's records and remembered answers may take (cache entries), in MB. */
export const TEMPLATE_STORAGE_MB = 16;
/** Model calls an hour the template's parameter reading may make (one per action call at most). */
export const TEMPLATE_MODEL_CALLS_PER_HOUR = 120;

/**
 * What the template's own code asks of the agent's storage and model beyond the specification's
 * permissions (its reminders' needs are templatePermissions'), read from the plugin's source, never
 * its tests: storage where it keeps records or answers in the agent's cache, model calls where it
 * reads parameters with the model. Without them, an isolated plugin that declares the least could
 * store nothing.
 */
export function templateCodeNeeds(files: readonly GeneratedFile[]): PermissionsAddition {
  const code = files
    .filter((f) => !/(^|\/)__(tests|contract)__\//.test(f.path))
    .map((f) => f.content)
    .join('\n');
  return {
    ...(/\.setCache\s*[<(]/.test(code) ? { storageMb: TEMPLATE_STORAGE_MB } : {}),
    ...(/\.useModel\s*[<(]/.test(code) ? { modelCallsPerHour: TEMPLATE_MODEL_CALLS_PER_HOUR } : {}),
  };
}
