import { existsSync, lstatSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/*
 * A sandboxed process alive while the agent writes into its workspace: after the agent has checked
 * the folders on the way, and before it writes, the process moves a folder away and puts a link to a
 * folder outside where it stood. The move is made at the moment the agent looks at the file's name
 * (its lstat, the step between the walk and the write), which is as late as a race can land.
 */
const race: { armed?: () => void; ran: boolean } = { ran: false };

vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  const lstat = (async (...args: Parameters<typeof original.lstat>) => {
    if (race.armed && String(args[0]).endsWith('/index.ts')) {
      const move = race.armed;
      race.armed = undefined;
      move();
      race.ran = true;
    }
    return original.lstat(...args);
  }) as typeof original.lstat;
  return { ...original, lstat, default: { ...original, lstat } };
});

const { safeWriteFile } = await import('../../../src/shared/safe-fs/index.js');

describe('a workspace write raced by a process that swaps a folder for a link', () => {
  let base: string;
  let workspace: string;
  let outside: string;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'pd-race-'));
    workspace = join(base, 'workspace');
    outside = join(base, 'outside');
    mkdirSync(join(workspace, 'src', 'gen'), { recursive: true });
    mkdirSync(join(outside, 'gen'), { recursive: true });
    race.ran = false;
    race.armed = () => {
      renameSync(join(workspace, 'src'), join(workspace, 'src-moved'));
      symlinkSync(outside, join(workspace, 'src'));
    };
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('writes into the folder it checked, never through the link put in its place', async () => {
    await safeWriteFile(workspace, 'src/gen/index.ts', 'export const generated = true;\n');
    // The race really ran: the folder was moved and a link to the outside stands at its name.
    expect(race.ran).toBe(true);
    expect(lstatSync(join(workspace, 'src')).isSymbolicLink()).toBe(true);
    // Nothing landed outside; the file is in the folder that was checked, wherever it is now.
    expect(existsSync(join(outside, 'gen', 'index.ts'))).toBe(false);
    expect(await readFile(join(workspace, 'src-moved', 'gen', 'index.ts'), 'utf8')).toBe('export const generated = true;\n');
  });
});
