import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWarmFolders, linkInstalledFolder, moveDataIn, releaseWarmFolders, sweepWarmFolders, warmFoldersRoot, warmSocketFits } from '../../../../src/management/host/warm-folders.js';
import { keepsWarmHost } from '../../../../src/management/placement/placements.js';
import { HEADLESS_SETTING } from '../../../../src/shared/agent-lock.js';

describe("a warm host's folders", () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-warm-folders-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('are made empty, under the data folder, one set per host', async () => {
    const a = await createWarmFolders(dataDir);
    const b = await createWarmFolders(dataDir);
    expect(a.root).not.toBe(b.root);
    for (const dir of [a.plugin, a.data, a.net]) expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(warmFoldersRoot(dataDir)).sort()).toEqual([a.root, b.root].map((r) => r.slice(warmFoldersRoot(dataDir).length + 1)).sort());
  });

  it('get the installed folder as hard links, its links reaching what the originals reach', async () => {
    const installed = join(dataDir, 'plugins', 'plugin-x');
    await mkdir(join(installed, 'node_modules', 'plugin-x', 'dist'), { recursive: true });
    await writeFile(join(installed, 'node_modules', 'plugin-x', 'dist', 'index.js'), 'export default 1;');
    await symlink('/usr/lib', join(installed, 'node_modules', 'outside'));
    await symlink(join(installed, 'node_modules', 'plugin-x'), join(installed, 'node_modules', 'inside'));
    await symlink('plugin-x/dist', join(installed, 'node_modules', 'relative'));
    // As npm links @elizaos/core to the agent's copy: relative, out of the installed folder.
    await mkdir(join(dataDir, 'agent-modules', 'core'), { recursive: true });
    await symlink('../../../agent-modules/core', join(installed, 'node_modules', 'core'));
    const folders = await createWarmFolders(dataDir);
    await linkInstalledFolder(installed, folders.plugin);
    const original = join(installed, 'node_modules', 'plugin-x', 'dist', 'index.js');
    const linked = join(folders.plugin, 'node_modules', 'plugin-x', 'dist', 'index.js');
    expect(statSync(linked).ino).toBe(statSync(original).ino);
    expect(readlinkSync(join(folders.plugin, 'node_modules', 'outside'))).toBe('/usr/lib');
    expect(readlinkSync(join(folders.plugin, 'node_modules', 'inside'))).toBe(join(folders.plugin, 'node_modules', 'plugin-x'));
    expect(readlinkSync(join(folders.plugin, 'node_modules', 'relative'))).toBe('plugin-x/dist');
    expect(readlinkSync(join(folders.plugin, 'node_modules', 'core'))).toBe(join(dataDir, 'agent-modules', 'core'));
    expect(statSync(join(folders.plugin, 'node_modules', 'core')).isDirectory()).toBe(true);
  });

  it("take the plugin's data at hand-off and give it back when released, then are removed", async () => {
    const dataFolder = join(dataDir, 'plugin-data', 'plugin-x');
    await mkdir(join(dataFolder, 'sub'), { recursive: true });
    await writeFile(join(dataFolder, 'a.txt'), 'a');
    await writeFile(join(dataFolder, 'sub', 'b.txt'), 'b');
    const folders = await createWarmFolders(dataDir);
    await moveDataIn(folders, { packageName: 'plugin-x', dataFolder });
    expect(readdirSync(dataFolder)).toEqual([]);
    expect(readdirSync(folders.data).sort()).toEqual(['a.txt', 'sub']);
    await writeFile(join(folders.data, 'written-by-the-host.txt'), 'c');
    await releaseWarmFolders(folders.root);
    expect(existsSync(folders.root)).toBe(false);
    expect(readdirSync(dataFolder).sort()).toEqual(['a.txt', 'sub', 'written-by-the-host.txt']);
    expect(readFileSync(join(dataFolder, 'sub', 'b.txt'), 'utf8')).toBe('b');
  });

  it('left by an agent that died are swept at the next start: the data goes back first', async () => {
    const dataFolder = join(dataDir, 'plugin-data', 'plugin-y');
    await mkdir(dataFolder, { recursive: true });
    await writeFile(join(dataFolder, 'kept.txt'), 'kept');
    const taken = await createWarmFolders(dataDir);
    await moveDataIn(taken, { packageName: 'plugin-y', dataFolder });
    const spare = await createWarmFolders(dataDir);
    expect(await sweepWarmFolders(dataDir)).toBe(2);
    expect(existsSync(taken.root)).toBe(false);
    expect(existsSync(spare.root)).toBe(false);
    expect(readFileSync(join(dataFolder, 'kept.txt'), 'utf8')).toBe('kept');
  });

  it('are not used for a plugin with network when its socket path would pass 107 bytes', () => {
    expect(warmSocketFits('/tmp/pd')).toBe(true);
    expect(warmSocketFits(`/tmp/${'x'.repeat(70)}`)).toBe(false);
  });

  it('are never started by the CLI\'s headless runtime, nor with the setting off', () => {
    const runtime = (settings: Record<string, unknown>) => ({ getSetting: (key: string) => (settings[key] ?? null) as string | null });
    expect(keepsWarmHost(runtime({}), { warmHost: true })).toBe(true);
    expect(keepsWarmHost(runtime({}), { warmHost: false })).toBe(false);
    expect(keepsWarmHost(runtime({ [HEADLESS_SETTING]: 'true' }), { warmHost: true })).toBe(false);
  });
});
