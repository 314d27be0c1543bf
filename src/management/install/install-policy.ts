import { codedError } from '../../errors.js';
import { isInside } from '../../shared/paths.js';
import { resolve } from 'node:path';
import type { PluginManifest } from './plugin-manifest.js';

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
const REMOTE_SPEC = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|ssh:)|^[\w-]+\/[\w.-]+(#.*)?$/;

/**
 * Refuses a package that would run its own code at install time (unless the user allowed it by
 * name) or pull code from outside the npm registry.
 */
export function checkInstallPolicy(manifest: PluginManifest, opts: { allowInstallScripts: string[] }): void {
  const scripts = INSTALL_SCRIPTS.filter((s) => manifest.scripts?.[s]);
  if (scripts.length > 0 && !opts.allowInstallScripts.includes(manifest.name)) {
    throw codedError('INSTALL_SCRIPTS_REFUSED', { plugin: manifest.name, scripts: scripts.join(', ') }, { details: { scripts } });
  }
  const deps = { ...manifest.dependencies, ...manifest.optionalDependencies };
  for (const [name, spec] of Object.entries(deps)) {
    if (REMOTE_SPEC.test(spec)) {
      throw codedError('UNSAFE_DEPENDENCY', { plugin: manifest.name, dependency: name, spec, allowed: 'the npm registry' });
    }
    if (spec.startsWith('file:') || spec.startsWith('link:')) {
      const target = resolve(manifest.dir, spec.replace(/^(file|link):/, ''));
      if (!isInside(manifest.dir, target)) {
        throw codedError('UNSAFE_DEPENDENCY', { plugin: manifest.name, dependency: name, spec, allowed: 'its own folder' });
      }
    }
  }
}
