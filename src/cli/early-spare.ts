import type { CliContext } from './context.js';
import { parsePluginSpec } from '../creation/spec/spec-schema.js';
import { headlessSettings } from './headless-settings.js';

/**
 * `create` in a runtime of the CLI's own: the warm spare toolchain is started now, once the data
 * folder is locked and before the runtime starts, so the checker and the test runner warm while
 * PGLite and its migrations start; the creation service takes it over. Not for an agent (its own
 * service keeps a spare), nor for a specification with dependencies (its job needs fresh workers).
 * Returns what stops it if no service took it (a runtime that failed to start).
 */
export async function startSpareForCreate(ctx: CliContext, spec: unknown): Promise<() => Promise<void>> {
  if (ctx.mode !== 'headless' || declaresDependencies(spec)) return async () => undefined;
  const [{ loadConfig }, { startEarlySpare, stopUnclaimedSpares }] = await Promise.all([import('../config.js'), import('../creation/spare/early-spare.js')]);
  const settings = headlessSettings(ctx.dataDir);
  // The settings as the service will read them (stored agent settings aside: a service whose
  // settings differ stops this spare and starts its own). No practice run: the job comes once the
  // runtime is up, a few seconds from now, and would wait for the practice's own checks to end.
  // Nor a second spare after the job: the command ends with it.
  await startEarlySpare(loadConfig((key) => settings[key]), { replace: false, practise: false });
  return stopUnclaimedSpares;
}

/** The job's own rule (job-setup.ts): dependencies need workers started with them. A specification that does not parse is refused later, by the job. */
function declaresDependencies(spec: unknown): boolean {
  if (spec === undefined) return false;
  try {
    return Object.keys(parsePluginSpec(spec).dependencies).length > 0;
  } catch {
    return false;
  }
}
