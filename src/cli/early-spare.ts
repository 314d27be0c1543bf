import type { CliContext } from './context.js';
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

function declaresDependencies(spec: unknown): boolean {
  if (typeof spec !== 'object' || spec === null || !('dependencies' in spec)) return false;
  const dependencies = (spec as { dependencies?: unknown }).dependencies;
  return typeof dependencies === 'object' && dependencies !== null && Object.keys(dependencies).length > 0;
}
