import { codedError } from '../../errors.js';
import { isInside } from '../../shared/paths.js';
import { resolve } from 'node:path';
import type { PluginManifest } from './plugin-manifest.js';

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
/** URL schemes and git shorthands, read case-insensitively: npm lower-cases a spec's scheme before it parses it. */
const REMOTE_SPEC = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|ssh:)|^[\w-]+\/[\w.-]+(#.*)?$/i;
const LOCAL_SPEC = /^(file|link):/i;

/**
 * Refuses a package that would run its own code at install time (unless the user allowed it by
 * name) or pull code from outside the npm registry.
 */
export function checkInstallPolicy(manifest: PluginManifest, opts: { allowInstallScripts: string[] }): void {
  const scripts = INSTALL_SCRIPTS.filter((s) => manifest.scripts?.[s]);
  if (scripts.length > 0 && !opts.allowInstallScripts.includes(manifest.name)) {
    throw codedError('INSTALL_SCRIPTS_REFUSED', { plugin: manifest.name, scripts: scripts.join(', ') }, { details: { scripts } });
  }
  // npm 7+ installs peer dependencies too, so they are held to the same rule.
  const declared = [manifest.dependencies, manifest.optionalDependencies, manifest.peerDependencies].flatMap((deps) => Object.entries(deps ?? {}));
  for (const [name, raw] of declared) {
    const spec = raw.trim();
    if (REMOTE_SPEC.test(spec)) {
      throw codedError('UNSAFE_DEPENDENCY', { plugin: manifest.name, dependency: name, spec, allowed: 'the npm registry' });
    }
    if (LOCAL_SPEC.test(spec)) {
      const target = resolve(manifest.dir, spec.replace(LOCAL_SPEC, ''));
      if (!isInside(manifest.dir, target)) {
        throw codedError('UNSAFE_DEPENDENCY', { plugin: manifest.name, dependency: name, spec, allowed: 'its own folder' });
      }
    }
  }
}
