import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PluginDynamicError } from '../../errors.js';

const require = createRequire(import.meta.url);

/** The folder of a package as this process resolves it (the agent's own copy). */
export function agentPackageDir(name: string): string {
  let entry: string;
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // The package's "exports" hide package.json: resolve its entry and walk up instead.
  }
  try {
    entry = require.resolve(name);
  } catch (error) {
    throw new PluginDynamicError('INSTALL_FAILED', `The host has no ${name} installed.`, { cause: error });
  }
  let dir = dirname(entry);
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (pkg.name === name) return dir;
    }
    dir = dirname(dir);
  }
  throw new PluginDynamicError('INSTALL_FAILED', `Could not find the package folder of ${name}.`);
}

/** The node_modules folder that holds the agent's @elizaos/core (for phantom dependencies). */
export function agentNodeModules(): string {
  return dirname(dirname(agentPackageDir('@elizaos/core')));
}

/**
 * A tiny stand-in for the npm `bun` package: some plugins depend on it but never use it, and the
 * real one is a 100 MB binary download.
 */
export async function bunStub(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'stubs', 'bun');
  if (!existsSync(join(dir, 'package.json'))) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'bun', version: '1.0.0', main: 'index.js' }));
    await writeFile(join(dir, 'index.js'), 'module.exports = {};\n');
  }
  return dir;
}

/** npm overrides that make an installed plugin link the agent's single copy of core. */
export async function agentOverrides(dataDir: string): Promise<Record<string, string>> {
  const overrides: Record<string, string> = {
    '@elizaos/core': `file:${agentPackageDir('@elizaos/core')}`,
    bun: `file:${await bunStub(dataDir)}`,
  };
  try {
    overrides['@elizaos/plugin-sql'] = `file:${agentPackageDir('@elizaos/plugin-sql')}`;
  } catch {
    // A host without plugin-sql installs it normally for plugins that need it.
  }
  return overrides;
}
