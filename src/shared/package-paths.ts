import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The folders that ship with the package, computed in one place. This file is <root>/src/shared/
 * when run from a checkout and <root>/dist/shared/ when installed, so two levels up is the root
 * either way; panel/, worker/ and the template's runtime sources ship beside src/ and dist/.
 */

/** The package's own folder. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The web panel's files. */
export const PANEL_DIR = join(PACKAGE_ROOT, 'panel');

/** The scripts child processes run: the checker and the isolated plugins' host (a sandbox must let them be read). */
export const WORKER_DIR = join(PACKAGE_ROOT, 'worker');

/** The template's recipe sources, shipped as TypeScript (copied into generated plugins). */
export const TEMPLATE_RUNTIME_DIR = join(PACKAGE_ROOT, 'src', 'creation', 'generators', 'template', 'runtime');
