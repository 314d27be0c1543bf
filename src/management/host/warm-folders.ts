import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { PluginDynamicError } from '../../errors.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';

/**
 * The folders of one warm host, all under `<data>/warm/<id>/`, made empty before it starts and bound
 * into its sandbox at the same paths: `p` read-only (the plugin's installed files are linked in at
 * hand-off), `d` writable (its HOME and working folder; the plugin's data is moved in at hand-off and
 * back when the host ends), `n` read-only (the egress proxy's socket appears there at hand-off when
 * the plugin declares hosts). `tenant.json` beside them, never bound, names the plugin whose data is
 * in `d`, so that a sweep after a crash can put it back.
 */
export interface WarmFolders {
  root: string;
  plugin: string;
  data: string;
  net: string;
}

/** Entries one hand-off may link (an installed plugin with its dependencies); past it the host is not used. */
const MAX_LINKED_ENTRIES = 100_000;
const TENANT_FILE = 'tenant.json';

const TenantSchema = z.object({ packageName: z.string().min(1).max(214), dataFolder: z.string().min(1).max(4_096) }).strict();
export type WarmTenant = z.infer<typeof TenantSchema>;

export function warmFoldersRoot(dataDir: string): string {
  return join(dataDir, 'warm');
}

/** Whether an egress proxy's socket in a warm host's `n` folder stays within a unix socket path's 107 bytes. */
export function warmSocketFits(dataDir: string): boolean {
  return Buffer.byteLength(join(warmFoldersRoot(dataDir), '00000000', 'n', 'egress-000000', 'proxy.sock')) <= 107;
}

/** Makes a new warm host's empty folders (mode 700). Short names: the socket path inside `n` is bounded. */
export async function createWarmFolders(dataDir: string): Promise<WarmFolders> {
  const root = join(warmFoldersRoot(dataDir), randomBytes(4).toString('hex'));
  const folders = { root, plugin: join(root, 'p'), data: join(root, 'd'), net: join(root, 'n') };
  for (const dir of [folders.plugin, folders.data, folders.net]) await mkdir(dir, { recursive: true, mode: 0o700 });
  return folders;
}

/**
 * Hard-links the plugin's installed folder into the host's plugin folder (a copy where a link cannot
 * be made, as across file systems). Links are copied as links that reach what the originals reach.
 */
export async function linkInstalledFolder(from: string, to: string, signal?: AbortSignal): Promise<void> {
  let entries = 0;
  const walk = async (src: string, dst: string): Promise<void> => {
    for (const entry of await readdir(src, { withFileTypes: true })) {
      signal?.throwIfAborted();
      if (++entries > MAX_LINKED_ENTRIES) {
        throw new PluginDynamicError('LOAD_FAILED', `The installed folder ${from} holds more than ${MAX_LINKED_ENTRIES} entries; a warm host is not given it.`);
      }
      const source = join(src, entry.name);
      const target = join(dst, entry.name);
      if (entry.isDirectory()) {
        await mkdir(target, { mode: 0o755 });
        await walk(source, target);
      } else if (entry.isSymbolicLink()) {
        await symlink(linkTarget(from, to, src, await readlink(source)), target);
      } else if (entry.isFile()) {
        await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EXDEV' && error.code !== 'EPERM' && error.code !== 'EMLINK') throw error;
          await copyFile(source, target);
        });
      }
      // Sockets, FIFOs and devices are not part of a package: left out.
    }
  };
  await walk(from, to);
}

/**
 * Where a copied link points so that it reaches what the original reached: a link inside the installed
 * folder to the same place in the copy, a link out of it (npm links @elizaos/core to the agent's own
 * copy by a relative path, one folder shallower than the copy) to that place by its absolute path.
 */
function linkTarget(from: string, to: string, linkFolder: string, pointsTo: string): string {
  const absolute = resolve(linkFolder, pointsTo);
  const within = relative(from, absolute);
  const inside = within === '' || (!within.startsWith('..') && !isAbsolute(within));
  if (!inside) return absolute;
  return isAbsolute(pointsTo) ? join(to, within) : pointsTo;
}

/** Moves every entry of one folder into another (same file system: renames). */
async function moveEntries(from: string, to: string): Promise<void> {
  for (const name of await readdir(from)) await rename(join(from, name), join(to, name));
}

/**
 * Moves the plugin's data into the host's data folder, after naming the plugin in `tenant.json`
 * (written first, so a crash in between leaves a record of where the data belongs).
 */
export async function moveDataIn(folders: WarmFolders, tenant: WarmTenant): Promise<void> {
  await writeFileAtomic(join(folders.root, TENANT_FILE), JSON.stringify(tenant), { mode: 0o600 });
  await mkdir(tenant.dataFolder, { recursive: true, mode: 0o700 });
  await moveEntries(tenant.dataFolder, folders.data);
}

/**
 * Ends a warm host's folders once its process is gone: the plugin's data (whatever is in `d`) goes back
 * to the plugin's data folder, then the folders are removed. A folder without a tenant holds nothing to keep.
 */
export async function releaseWarmFolders(root: string): Promise<void> {
  const tenant = await readTenant(root);
  if (tenant) {
    await mkdir(tenant.dataFolder, { recursive: true, mode: 0o700 });
    await moveEntries(join(root, 'd'), tenant.dataFolder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  await rm(root, { recursive: true, force: true });
}

async function readTenant(root: string): Promise<WarmTenant | undefined> {
  const text = await readFile(join(root, TENANT_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = TenantSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** After an agent that did not stop cleanly: every warm folder is released (data put back). Answers how many. */
export async function sweepWarmFolders(dataDir: string): Promise<number> {
  const root = warmFoldersRoot(dataDir);
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) await releaseWarmFolders(join(root, name));
  return names.length;
}
