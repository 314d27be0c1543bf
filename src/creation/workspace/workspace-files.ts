import { lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { PluginDynamicError } from '../../errors.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';
import { resolveInside } from '../../shared/paths.js';
import type { GeneratedFile } from '../generators/generator.js';

/** Why a generated path may not be written, or undefined when it may. */
export function refusedPath(path: string): string | undefined {
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  if (path.split(/[\\/]/).includes('..')) return 'climbs out with ".."';
  if (!path.startsWith('src/')) return 'is outside src/';
  if (!path.endsWith('.ts')) return 'is not a TypeScript file';
  return undefined;
}

/**
 * Writes generated source into a workspace. Every path is checked first: if one is refused,
 * nothing is written at all.
 */
export async function writeSourceFiles(workspaceDir: string, files: GeneratedFile[]): Promise<void> {
  const refused = files.map((f) => [f.path, refusedPath(f.path)] as const).filter(([, why]) => why);
  if (refused.length > 0) {
    throw new PluginDynamicError(
      'MODEL_OUTPUT_REFUSED',
      `Refused to write ${refused.map(([p, why]) => `"${p}" (${why})`).join(', ')}; only TypeScript files under src/ may be written.`,
    );
  }
  const targets = files.map((f) => ({ target: resolveInside(workspaceDir, f.path), content: f.content }));
  for (const { target, content } of targets) {
    await mkdir(dirname(target), { recursive: true });
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isSymbolicLink()) throw new PluginDynamicError('MODEL_OUTPUT_REFUSED', `${target} is a link; refusing to write through it.`);
    await writeFileAtomic(target, content);
  }
}

/** Every TypeScript file under the workspace's src/, workspace-relative, sorted. */
export async function readSourceFiles(workspaceDir: string): Promise<GeneratedFile[]> {
  const out: GeneratedFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && entry.name.endsWith('.ts')) {
        out.push({ path: relative(workspaceDir, full).split('\\').join('/'), content: await readFile(full, 'utf8') });
      }
    }
  };
  await walk(join(workspaceDir, 'src'));
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
