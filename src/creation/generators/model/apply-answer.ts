import { codedError } from '../../../errors.js';
import type { GeneratedFile } from '../generator.js';
import { checkModelFilePaths, isEditBlock, parseAnswerBlocks, type AnswerBlock } from './parse-model-files.js';

/** The largest file an answer may produce, whole or after its edits. */
export const MAX_FILE_CHARS = 200_000;

export const EDIT_FORMAT = `To change part of a file, send an edit block: its info string is "edit path=<file>", its body one or
more SEARCH/REPLACE pairs. Each SEARCH text must appear exactly once in the file as shown (copy it with its
indentation, enough lines to be unique); it is replaced by the REPLACE text. Pairs apply in order.
\`\`\`edit path=src/index.ts
<<<<<<< SEARCH
import { addNote } from './actions/add-note';
=======
import { addNote } from './actions/add-note.js';
>>>>>>> REPLACE
\`\`\`
A file sent whole (a \`\`\`ts path=... block) replaces it entirely.`;

interface Edit {
  search: string;
  replace: string;
}

const PAIR = /^<{7} SEARCH[ \t]*\n([\s\S]*?)\n?={7}[ \t]*\n([\s\S]*?)\n?>{7} REPLACE[ \t]*$/gm;

function editsOf(block: AnswerBlock): Edit[] {
  const body = block.body.replace(/\r\n/g, '\n');
  return [...body.matchAll(PAIR)].map((m) => ({ search: m[1] ?? '', replace: m[2] ?? '' }));
}

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) count++;
  return count;
}

/**
 * Applies a model's answer to the current files: whole files replace, edit blocks change the file
 * as it stands at that point of the answer. Everything is checked before anything is written: a path
 * outside src/ or not TypeScript, an edit of a file that does not exist, a SEARCH text that is not
 * found exactly once, an edit block without a well-formed pair, or a file past the size cap refuses
 * the whole answer, naming each problem, so the next iteration is told exactly what to fix.
 * Returns the files the answer changed.
 */
export function applyModelAnswer(answer: string, currentFiles: GeneratedFile[]): GeneratedFile[] {
  const blocks = parseAnswerBlocks(answer).filter((b) => b.path !== 'dependencies');
  checkModelFilePaths(blocks.map((b) => ({ path: b.path, content: '' })));
  const files = new Map(currentFiles.map((f) => [f.path, f.content]));
  const changed = new Set<string>();
  const problems: string[] = [];
  for (const block of blocks) {
    if (!isEditBlock(block)) {
      files.set(block.path, `${block.body.replace(/\s+$/, '')}\n`);
      changed.add(block.path);
      continue;
    }
    let text = files.get(block.path);
    if (text === undefined) {
      problems.push(`edit of ${block.path}: there is no such file; send it whole instead`);
      continue;
    }
    const edits = editsOf(block);
    if (edits.length === 0) {
      problems.push(`edit of ${block.path}: no "<<<<<<< SEARCH / ======= / >>>>>>> REPLACE" pair could be read`);
      continue;
    }
    for (const [i, edit] of edits.entries()) {
      const found = edit.search === '' ? 0 : occurrences(text, edit.search);
      if (found !== 1) {
        const head = edit.search.split('\n')[0]?.slice(0, 80) ?? '';
        problems.push(
          `edit ${i + 1} of ${block.path}: the SEARCH text ("${head}"...) is found ${found} times; it must be found exactly once`,
        );
        continue;
      }
      text = text.replace(edit.search, () => edit.replace);
    }
    files.set(block.path, text);
    changed.add(block.path);
  }
  for (const path of changed) {
    if ((files.get(path)?.length ?? 0) > MAX_FILE_CHARS) problems.push(`${path} is larger than ${MAX_FILE_CHARS} characters`);
  }
  if (problems.length > 0) {
    throw codedError('MODEL_OUTPUT_REFUSED', { problem: `it could not be applied: ${problems.join('; ')}` }, { details: { problems } });
  }
  return [...changed].map((path) => ({ path, content: files.get(path) ?? '' }));
}
