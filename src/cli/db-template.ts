import { constants } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../shared/package-paths.js';

/**
 * A migrated, empty PGLite database made by `npm run build` (make-db-template.ts). A data folder
 * with no database yet starts from a copy of it instead of unpacking PGLite's initial database and
 * running every migration: the same schema, made by the same pinned plugin-sql and PGLite, with no
 * agent, key or row in it. A stamp names those versions; a template made by others is not used.
 */
export const DB_TEMPLATE_DIR = join(PACKAGE_ROOT, 'dist', 'db-template');

export const TemplateStamp = z.object({ pluginSql: z.string().min(1), pglite: z.string().min(1) }).strict();
export type TemplateStamp = z.infer<typeof TemplateStamp>;

/** How a database folder was prepared, for the start-up phases. */
export type SeedOutcome = 'seeded' | 'existing' | 'no-template' | 'other-versions';

/** The installed versions of the two packages that write the database's files (PGLite as plugin-sql finds it). */
export async function installedStamp(): Promise<TemplateStamp | undefined> {
  const sqlRoot = await packageRoot('@elizaos/plugin-sql', fileURLToPath(import.meta.url));
  const pgliteRoot = sqlRoot ? await packageRoot('@electric-sql/pglite', join(sqlRoot, 'package.json')) : undefined;
  if (!sqlRoot || !pgliteRoot) return undefined;
  const [pluginSql, pglite] = await Promise.all([versionAt(sqlRoot), versionAt(pgliteRoot)]);
  return pluginSql && pglite ? { pluginSql, pglite } : undefined;
}

/**
 * Copies the template into `dbDir` when that folder is missing or empty. The copy is made beside it
 * and renamed into place, so a start that is stopped half-way leaves no half database behind.
 */
export async function seedDatabase(dbDir: string, templateDir = DB_TEMPLATE_DIR): Promise<SeedOutcome> {
  if ((await entries(dbDir)).length > 0) return 'existing';
  const stamp = await readStamp(templateDir);
  if (!stamp) return 'no-template';
  const installed = await installedStamp();
  if (!installed || stamp.pluginSql !== installed.pluginSql || stamp.pglite !== installed.pglite) return 'other-versions';
  const temp = `${dbDir}.seed-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  try {
    await copyTree(join(templateDir, 'db'), temp);
    await rm(dbDir, { recursive: true, force: true });
    await rename(temp, dbDir);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return 'seeded';
}

async function readStamp(templateDir: string): Promise<TemplateStamp | undefined> {
  try {
    const parsed = TemplateStamp.safeParse(JSON.parse(await readFile(join(templateDir, 'stamp.json'), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function versionAt(root: string): Promise<string | undefined> {
  try {
    const parsed = z.object({ version: z.string().min(1) }).safeParse(JSON.parse(await readFile(join(root, 'package.json'), 'utf8')));
    return parsed.success ? parsed.data.version : undefined;
  } catch {
    return undefined;
  }
}

/** The folder of package `name` as Node would find it from `from` (its node_modules lookup; no `exports` needed). */
async function packageRoot(name: string, from: string): Promise<string | undefined> {
  for (const modules of createRequire(from).resolve.paths(name) ?? []) {
    const dir = join(modules, name);
    if ((await versionAt(dir)) !== undefined) return dir;
  }
  return undefined;
}

/** Files copied at once: the template is about a thousand small files, and one at a time each waits on the disk. */
const COPY_CONCURRENCY = 8;

/**
 * Copies a folder's tree (folders, empty ones too, and regular files) into a new folder: the folders
 * first, then the files several at a time (fs.cp copies one file after another: about four times
 * slower here). Anything else in the tree (a link) is refused, as the template never holds one.
 */
async function copyTree(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const relative = (entry: (typeof entries)[number]): string => join(entry.parentPath.slice(from.length), entry.name);
  await mkdir(to, { recursive: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) await mkdir(join(to, relative(entry)), { recursive: true });
    else if (entry.isFile()) files.push(relative(entry));
    else throw new Error(`the database template holds ${join(from, relative(entry))}, which is not a file or a folder`);
  }
  let next = 0;
  const copier = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as string;
      await copyFile(join(from, file), join(to, file), constants.COPYFILE_EXCL);
    }
  };
  await Promise.all(Array.from({ length: COPY_CONCURRENCY }, copier));
}
