import { codedError } from '../../../errors.js';

export interface ParsedFile {
  path: string;
  content: string;
}

const PATH_IN_INFO = /(?:^|\s)(?:path|file|filename)\s*[=:]\s*["']?([^\s"']+)["']?/i;
const PATH_ON_LINE = /(?:^|[\s`*#:])((?:\.\/)?[\w@./-]+\.[a-z]+)`?\**\s*:?\s*$/i;

/** One fenced block of a model's answer that names a path, with the info string it was given. */
export interface AnswerBlock {
  path: string;
  info: string;
  body: string;
}

/**
 * The fenced blocks of a model's answer that name a path, in the order written. The path is given
 * in the fence's info string (```ts path=src/x.ts, ```edit path=src/x.ts or ```src/x.ts) or on the
 * line just before the block ("File: src/x.ts", "### src/x.ts", "`src/x.ts`:").
 */
export function parseAnswerBlocks(answer: string): AnswerBlock[] {
  const blocks: AnswerBlock[] = [];
  const lines = answer.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(`{3,}|~{3,})(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[1] ?? '```';
    const info = (open[2] ?? '').trim();
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[j] ?? '')) {
      body.push(lines[j] ?? '');
      j++;
    }
    const path = pathFromInfo(info) ?? pathFromPreviousLine(lines, i);
    if (path) blocks.push({ path: normalise(path), info, body: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The whole files of a model's answer (blocks that are not edits); a later block for a path wins. */
export function parseModelFiles(answer: string): ParsedFile[] {
  const files = new Map<string, string>();
  for (const block of parseAnswerBlocks(answer)) {
    if (!isEditBlock(block)) files.set(block.path, `${block.body.replace(/\s+$/, '')}\n`);
  }
  return [...files].map(([path, content]) => ({ path, content }));
}

/** An edit block: its info string starts with "edit", or its body is search/replace pairs. */
export function isEditBlock(block: AnswerBlock): boolean {
  return /^edit\b/i.test(block.info) || /^<{7} SEARCH\s*$/m.test(block.body);
}

function pathFromInfo(info: string): string | undefined {
  const explicit = PATH_IN_INFO.exec(info)?.[1];
  if (explicit) return explicit;
  const words = info.split(/\s+/).filter(Boolean);
  return words.find((w) => /[/\\]|\.[a-z]{1,4}$/i.test(w) && !/^(ts|typescript|json|js|edit)$/i.test(w));
}

function pathFromPreviousLine(lines: string[], fenceIndex: number): string | undefined {
  for (let k = fenceIndex - 1; k >= Math.max(0, fenceIndex - 2); k--) {
    const line = (lines[k] ?? '').trim();
    if (!line) continue;
    return PATH_ON_LINE.exec(line)?.[1];
  }
  return undefined;
}

function normalise(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^\.\//, '');
}

/**
 * Refuses the whole answer when any file would land outside src/, is absolute, climbs with "..",
 * or is not TypeScript: nothing of a refused answer is written.
 */
export function checkModelFilePaths(files: ParsedFile[]): void {
  const refused = files.filter(
    (f) =>
      f.path.startsWith('/') ||
      /^[a-z]:/i.test(f.path) ||
      f.path.split('/').includes('..') ||
      !f.path.startsWith('src/') ||
      !f.path.endsWith('.ts') ||
      f.path.includes('\0'),
  );
  if (refused.length > 0) {
    throw codedError(
      'MODEL_OUTPUT_REFUSED',
      { problem: `it writes ${refused.map((f) => `"${f.path}"`).join(', ')}; only TypeScript files under src/ may be written` },
      { details: { paths: refused.map((f) => f.path) } },
    );
  }
}
