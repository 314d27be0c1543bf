import { list } from 'tar';
import { z } from 'zod';

/** The most of a package.json read out of a tarball. */
const MANIFEST_MAX_BYTES = 1024 * 1024;

const NamedManifest = z.object({ name: z.string().min(1).max(214) });

/**
 * The package name a tarball declares (its top folder's package.json, as npm reads it), so an
 * install from it can be matched with an installed plugin before npm runs; undefined when it has
 * no readable package.json (npm then says what is wrong with it).
 */
export async function tarballPackageName(file: string, signal?: AbortSignal): Promise<string | undefined> {
  signal?.throwIfAborted();
  const chunks: Buffer[] = [];
  let size = 0;
  let found = false;
  await list({
    file,
    filter: (path) => !found && /^[^/]+\/package\.json$/.test(path),
    onReadEntry: (entry) => {
      found = true;
      entry.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MANIFEST_MAX_BYTES) chunks.push(chunk);
      });
    },
  }).catch(() => undefined);
  if (!found || size > MANIFEST_MAX_BYTES) return undefined;
  try {
    const parsed = NamedManifest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    return parsed.success ? parsed.data.name : undefined;
  } catch {
    return undefined;
  }
}
