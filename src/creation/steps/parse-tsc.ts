import { isAbsolute, relative } from 'node:path';
import type { Diagnostic } from './diagnostics.js';

const LINE = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;

/** `tsc --pretty false` output as diagnostics; continuation lines join their error. */
export function parseTscOutput(output: string, workspaceDir: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of output.split('\n')) {
    const m = LINE.exec(line.trimEnd());
    if (m) {
      const file = m[1] ?? '';
      out.push({
        tool: 'tsc',
        file: isAbsolute(file) ? relative(workspaceDir, file) : file,
        line: Number(m[2]),
        column: Number(m[3]),
        code: m[4],
        message: m[5] ?? '',
      });
    } else if (/^\s+\S/.test(line) && out.length > 0) {
      const last = out[out.length - 1];
      if (last) last.message += ` ${line.trim()}`;
    } else if (/error TS\d+:/.test(line)) {
      out.push({ tool: 'tsc', code: /TS\d+/.exec(line)?.[0], message: line.trim() });
    }
  }
  return out;
}
