import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { codedError } from '../../errors.js';
import { safeReadFile, safeWriteFile } from '../../shared/safe-fs/index.js';
import type { GeneratedFile } from './generated-file.js';

/** The most one source file may hold when the agent reads it back, and how many are read. */
export const SOURCE_FILE_MAX_BYTES = 512 * 1024;
const SOURCE_FILES_MAX = 500;

/** Why a generated path may not be written, or undefined when it may. */
export function refusedPath(path: string): string | undefined {
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  if (path.split(/[\\/]/).includes('..')) return 'climbs out with ".."';
  if (!path.startsWith('src/')) return 'is outside src/';
  if (!path.endsWith('.ts')) return 'is not a TypeScript file';
  if (path.split(/[\\/]/).some((part) => part === '' || part === '.')) return 'has an empty or "." component';
  return undefined;
}

/**
 * Writes generated source into a workspace. Every path is checked first: if one is refused,
 * nothing is written at all. Each write goes through safeWriteFile, so a link a test planted in
 * src/ is refused, never written through.
 */
export async function writeSourceFiles(workspaceDir: string, files: GeneratedFile[]): Promise<void> {
  checkGeneratedPaths(files);
  for (const file of files) await safeWriteFile(workspaceDir, file.path, file.content);
}

/** Refuses (MODEL_OUTPUT_REFUSED) a set of files when any of their paths may not be written. */
export function checkGeneratedPaths(files: GeneratedFile[]): void {
  const refused = files.map((f) => [f.path, refusedPath(f.path)] as const).filter(([, why]) => why);
  if (refused.length > 0) {
    throw codedError('MODEL_OUTPUT_REFUSED', {
      problem: `it writes ${refused.map(([p, why]) => `"${p}" (${why})`).join(', ')}; only TypeScript files under src/ may be written`,
    });
  }
}

/**
 * Every TypeScript file under the workspace's src/, workspace-relative, sorted. Links are skipped,
 * each file is read through safeReadFile (no link, regular file, capped).
 */
export async function readSourceFiles(workspaceDir: string, opts: { signal?: AbortSignal } = {}): Promise<GeneratedFile[]> {
  const paths: string[] = [];
  // src/ itself replaced by a link: nothing under it is the workspace's.
  if (!(await lstat(join(workspaceDir, 'src')).catch(() => undefined))?.isDirectory()) return [];
  const walk = async (relativeDir: string): Promise<void> => {
    for (const entry of await readdir(join(workspaceDir, relativeDir), { withFileTypes: true }).catch(() => [])) {
      if (paths.length >= SOURCE_FILES_MAX) return;
      const path = `${relativeDir}/${entry.name}`;
      // Dirent types come from lstat: a link is neither a folder nor a file here, so it is skipped.
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts')) paths.push(path);
    }
  };
  await walk('src');
  const out: GeneratedFile[] = [];
  for (const path of paths) {
    const content = await safeReadFile(workspaceDir, path, { maxBytes: SOURCE_FILE_MAX_BYTES, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (content !== undefined) out.push({ path, content });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
