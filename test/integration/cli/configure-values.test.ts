import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectValues, type ValueIo, type ValueSources } from '../../../src/cli/configure-values.js';

const none: ValueSources = { pairs: [], fromFile: [], stdin: undefined, secret: [] };

function io(over: Partial<ValueIo> = {}): ValueIo & { prompted: string[] } {
  const prompted: string[] = [];
  return {
    readStdin: async () => 'from-stdin\n',
    stdinIsTty: false,
    prompt: async (name) => {
      prompted.push(name);
      return `typed-${name}`;
    },
    prompted,
    ...over,
  };
}

describe('collecting configure values', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-configure-'));
    await writeFile(join(dir, 'key.txt'), 'from-file\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes NAME=value pairs, files and stdin, dropping one trailing newline', async () => {
    const values = await collectValues(
      { pairs: ['A=1', 'B=x=y'], fromFile: [`C=${join(dir, 'key.txt')}`], stdin: 'D', secret: [] },
      io(),
    );
    expect(values).toEqual({ A: '1', B: 'x=y', C: 'from-file', D: 'from-stdin' });
  });

  it('asks for --secret values on a terminal and refuses to without one', async () => {
    const terminal = io({ stdinIsTty: true });
    expect(await collectValues({ ...none, secret: ['API_KEY'] }, terminal)).toEqual({ API_KEY: 'typed-API_KEY' });
    expect(terminal.prompted).toEqual(['API_KEY']);
    await expect(collectValues({ ...none, secret: ['API_KEY'] }, io())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(collectValues({ ...none, stdin: 'API_KEY' }, io({ stdinIsTty: true }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('never puts a value in an error message', async () => {
    for (const pairs of [['sk-live-abcdef'], ['A=sk-live-abcdef', 'A=sk-live-abcdef']]) {
      const error = (await collectValues({ ...none, pairs }, io()).catch((e: unknown) => e)) as { code: string; message: string };
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).not.toContain('sk-live-abcdef');
    }
    const unreadable = (await collectValues({ ...none, fromFile: [`K=${join(dir, 'missing')}`] }, io()).catch((e: unknown) => e)) as Error;
    expect(unreadable.message).toBe(`--from-file K: cannot read ${join(dir, 'missing')} (ENOENT).`);
  });

  it('refuses bad names, empty values and nothing at all', async () => {
    await expect(collectValues({ ...none, pairs: ['1BAD=x'] }, io())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(collectValues({ ...none, pairs: ['GOOD='] }, io())).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'GOOD is empty.' });
    await expect(collectValues(none, io())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
