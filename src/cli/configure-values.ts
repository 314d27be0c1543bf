import { readFile } from 'node:fs/promises';
import { codedError } from '../errors.js';

/** The setting names the HTTP contract accepts too. */
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface ValueSources {
  /** NAME=value arguments. */
  pairs: string[];
  /** NAME=path: the value is the file's content. */
  fromFile: string[];
  /** NAME whose value is read from standard input. */
  stdin: string | undefined;
  /** NAMEs asked for on the terminal without echo. */
  secret: string[];
}

export interface ValueIo {
  readStdin(): Promise<string>;
  stdinIsTty: boolean;
  /** Asks for one value without echo. */
  prompt(name: string): Promise<string>;
}

/** One trailing newline (from `echo` or an editor) is not part of a value. */
const chomp = (s: string): string => s.replace(/\r?\n$/, '');

function checkName(name: string, from: string): string {
  if (!SETTING_NAME.test(name)) {
    throw codedError('INVALID_INPUT', { input: from, problem: `names the setting "${name.slice(0, 64)}"; a setting name is a letter then letters, digits or _.` });
  }
  return name;
}

/** Splits NAME=rest; what is after "=" is never put in a message (it may be a secret). */
function split(arg: string, from: string): [string, string] {
  const at = arg.indexOf('=');
  if (at <= 0) throw codedError('INVALID_INPUT', { input: from, problem: `must look like NAME=${from === '--from-file' ? 'path' : 'value'}.` });
  return [checkName(arg.slice(0, at), from), arg.slice(at + 1)];
}

/**
 * Collects the values to store from every source the configure command offers. Error messages
 * name settings and files, never values.
 */
export async function collectValues(src: ValueSources, io: ValueIo): Promise<Record<string, string>> {
  const values = new Map<string, string>();
  const put = (name: string, value: string): void => {
    if (values.has(name)) throw codedError('INVALID_INPUT', { input: name, problem: 'is given twice.' });
    values.set(name, value);
  };
  src.pairs.forEach((pair, i) => put(...split(pair, `argument ${i + 1}`)));
  for (const arg of src.fromFile) {
    const [name, path] = split(arg, '--from-file');
    let content: string;
    try {
      content = await readFile(path, 'utf8');
    } catch (error) {
      throw codedError('INVALID_INPUT', { input: `--from-file ${name}:`, problem: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).` }, { cause: error });
    }
    put(name, chomp(content));
  }
  if (src.stdin !== undefined) {
    const name = checkName(src.stdin, '--stdin');
    if (io.stdinIsTty) throw codedError('INVALID_INPUT', { input: `--stdin ${name}`, problem: `reads a pipe; on a terminal use --secret ${name}.` });
    put(name, chomp(await io.readStdin()));
  }
  for (const raw of src.secret) {
    const name = checkName(raw, '--secret');
    if (!io.stdinIsTty) {
      throw codedError('INVALID_INPUT', { input: `--secret ${name}`, problem: `asks on a terminal; without one use --stdin ${name} or --from-file ${name}=path.` });
    }
    put(name, await io.prompt(name));
  }
  if (values.size === 0) {
    throw codedError('INVALID_INPUT', { input: 'Nothing', problem: 'is given to store: give NAME=value, --secret NAME, --from-file NAME=path or --stdin NAME.' });
  }
  for (const [name, value] of values) {
    if (value === '') throw codedError('INVALID_INPUT', { input: name, problem: 'is empty.' });
  }
  return Object.fromEntries(values);
}
