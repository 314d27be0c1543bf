import { join } from 'node:path';
import { create } from 'tar';
import { listTree } from '../../shared/tree-hash.js';
import type { PluginSpec } from '../spec/plugin-spec.js';

/** The time npm writes on every entry of a package it packs, so the same files make the same tarball. */
const NPM_PACK_MTIME = new Date('1985-10-26T08:15:00.000Z');

/**
 * What the package publishes of a shipped build: its package.json and dist/ without tests — the
 * same list `npm pack` makes from the workspace's `files` field (workspacePackageJson).
 */
function published(path: string): boolean {
  return !/(^|\/)__tests__\/|(^|\/)__contract__\/|\.test\.[^/]*$/.test(path);
}

/**
 * Packs a shipped build as `npm pack` does (entries under package/, npm's fixed time, no owners),
 * in this process: an npm start less before every install of a generated plugin. The tarball is
 * written inside the build's folder and installed from there (the installer keeps a copy of its own).
 */
export async function packShipped(dir: string, spec: Pick<PluginSpec, 'name' | 'version'>): Promise<string> {
  const files = ['package.json', ...(await listTree(join(dir, 'dist'), 'pack')).filter(published).map((path) => `dist/${path}`)];
  const file = join(dir, `${spec.name.replace(/^@/, '').replace('/', '-')}-${spec.version}.tgz`);
  await create({ gzip: true, file, cwd: dir, prefix: 'package', portable: true, mtime: NPM_PACK_MTIME }, files);
  return file;
}
