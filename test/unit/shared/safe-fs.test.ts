import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeDirectory, safeReadFile, safeRemove, safeWriteFile } from '../../../src/shared/safe-fs/index.js';
import { hashTree } from '../../../src/shared/tree-hash.js';

let root: string;
let workspace: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pd-safe-fs-'));
  workspace = join(root, 'workspace');
  outside = join(root, 'outside');
  await mkdir(join(workspace, 'src'), { recursive: true });
  await mkdir(outside);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );

describe('safeWriteFile', () => {
  it('writes a file, making the folders on the way', async () => {
    await safeWriteFile(workspace, 'src/actions/get.ts', 'export const a = 1;\n');
    expect(await readFile(join(workspace, 'src', 'actions', 'get.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('refuses a path through a folder link that leads outside, and writes nothing there', async () => {
    await symlink(outside, join(workspace, 'src', 'poison'), 'dir');
    expect(await codeOf(safeWriteFile(workspace, 'src/poison/owned.ts', 'x'))).toBe('UNSAFE_WORKSPACE_FILE');
    expect(existsSync(join(outside, 'owned.ts'))).toBe(false);
  });

  it('refuses a link on the way even when it leads inside the workspace', async () => {
    await mkdir(join(workspace, 'src', 'real'));
    await symlink(join(workspace, 'src', 'real'), join(workspace, 'src', 'alias'), 'dir');
    expect(await codeOf(safeWriteFile(workspace, 'src/alias/file.ts', 'x'))).toBe('UNSAFE_WORKSPACE_FILE');
  });

  it('replaces a link at the file name instead of writing through it', async () => {
    const victim = join(outside, 'victim.txt');
    await writeFile(victim, 'untouched');
    await symlink(victim, join(workspace, 'package.json'));
    await safeWriteFile(workspace, 'package.json', '{}');
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    expect(await readFile(join(workspace, 'package.json'), 'utf8')).toBe('{}');
  });

  it('refuses "..", absolute-looking and empty components', async () => {
    for (const path of ['../x.ts', 'src/../../x.ts', 'src//x.ts', './src/x.ts']) {
      expect(await codeOf(safeWriteFile(workspace, path, 'x')), path).toBe('PATH_OUTSIDE_ALLOWED');
    }
  });

  it('safeRemove removes a link, not what it leads to', async () => {
    await writeFile(join(outside, 'keep.txt'), 'keep');
    await symlink(outside, join(workspace, 'src', 'poison'), 'dir');
    await safeRemove(workspace, 'src');
    expect(existsSync(join(workspace, 'src'))).toBe(false);
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('safeDirectory replaces a link at its name with a real folder', async () => {
    await symlink(outside, join(workspace, '.home'), 'dir');
    const home = await safeDirectory(workspace, '.home');
    expect(home).toBe(join(workspace, '.home'));
    await expect(readlink(home)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});

describe('safeReadFile', () => {
  it('reads a regular file, and gives undefined for a missing one', async () => {
    await writeFile(join(workspace, 'report.json'), '{"ok":true}');
    expect(await safeReadFile(workspace, 'report.json', { maxBytes: 1024 })).toBe('{"ok":true}');
    expect(await safeReadFile(workspace, 'absent.json', { maxBytes: 1024 })).toBeUndefined();
  });

  it('refuses a link at the file, to a large file outside', async () => {
    await writeFile(join(outside, 'big.bin'), Buffer.alloc(4 * 1024 * 1024, 1));
    await symlink(join(outside, 'big.bin'), join(workspace, 'report.json'));
    expect(await codeOf(safeReadFile(workspace, 'report.json', { maxBytes: 8 * 1024 * 1024 }))).toBe('UNSAFE_WORKSPACE_FILE');
  });

  it('refuses a link in a folder on the way', async () => {
    await writeFile(join(outside, 'report.json'), '{}');
    await symlink(outside, join(workspace, '.vitest-report'), 'dir');
    expect(await codeOf(safeReadFile(workspace, '.vitest-report/report.json', { maxBytes: 1024 }))).toBe('UNSAFE_WORKSPACE_FILE');
  });

  it('refuses a FIFO without blocking on it', async () => {
    execFileSync('mkfifo', [join(workspace, 'report.json')]);
    // A plain readFile would wait here forever for a writer; this answers at once.
    expect(await codeOf(safeReadFile(workspace, 'report.json', { maxBytes: 1024 }))).toBe('UNSAFE_WORKSPACE_FILE');
  });

  it('refuses a file larger than the cap, unread', async () => {
    await writeFile(join(workspace, 'report.json'), Buffer.alloc(2048, 32));
    expect(await codeOf(safeReadFile(workspace, 'report.json', { maxBytes: 1024 }))).toBe('UNSAFE_WORKSPACE_FILE');
  });

  it('stops when the signal is aborted', async () => {
    await writeFile(join(workspace, 'report.json'), '{}');
    const controller = new AbortController();
    controller.abort();
    await expect(safeReadFile(workspace, 'report.json', { maxBytes: 1024, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('hashTree', () => {
  it('changes when a byte changes or a file is added, and refuses a link', async () => {
    const dist = join(workspace, 'dist');
    await mkdir(dist);
    await writeFile(join(dist, 'index.js'), 'export const a = 1;\n');
    const first = await hashTree(dist);
    expect(first).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), files: 1 });
    expect((await hashTree(dist)).sha256).toBe(first.sha256);
    await writeFile(join(dist, 'index.js'), 'export const a = 2;\n');
    expect((await hashTree(dist)).sha256).not.toBe(first.sha256);
    await writeFile(join(dist, 'index.js'), 'export const a = 1;\n');
    await writeFile(join(dist, 'payload.js'), '');
    expect((await hashTree(dist)).sha256).not.toBe(first.sha256);
    await symlink(outside, join(dist, 'link'));
    expect(await codeOf(hashTree(dist))).toBe('UNSAFE_WORKSPACE_FILE');
  });
});
