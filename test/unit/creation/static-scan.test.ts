import { describe, expect, it } from 'vitest';
import { scanSource } from '../../../src/creation/validate/static-scan.js';

const scan = (content: string) => scanSource([{ path: 'src/x.ts', content }]).map((f) => f.rule);

describe('the static scan of generated source', () => {
  it.each([
    ["import { exec } from 'node:child_process';", 'forbidden-module'],
    ["const cp = require('child_process');", 'forbidden-module'],
    ["import('node:vm');", 'forbidden-module'],
    ['eval("1+1");', 'eval'],
    ['const f = new Function("return 1");', 'new-function'],
    ['const name = "x"; await import(name);', 'dynamic-import'],
    ['const all = Object.keys(process.env);', 'environment-read'],
    ['console.log(JSON.stringify(process.env));', 'environment-read'],
    ['const copy = { ...process.env };', 'environment-read'],
    ["import { writeFileSync } from 'node:fs'; writeFileSync('/etc/passwd', 'x');", 'write-outside'],
    ["import { writeFile } from 'node:fs/promises'; await writeFile('../../outside.txt', 'x');", 'write-outside'],
    ["import { net } from 'node:net';", 'forbidden-module'],
  ])('refuses %s', (code, rule) => {
    expect(scan(code)).toContain(rule);
  });

  it('gives the line of each finding', () => {
    const [finding] = scanSource([{ path: 'src/a.ts', content: 'const a = 1;\n\neval("a");\n' }]);
    expect(finding).toMatchObject({ file: 'src/a.ts', line: 3, rule: 'eval' });
  });

  it('accepts ordinary plugin code', () => {
    expect(
      scan(
        "import { type Action } from '@elizaos/core';\nconst key = process.env.API_KEY ?? process.env['OTHER'];\nconst res = await fetch('https://example.com');\nexport const a = { key, res } as unknown as Action;",
      ),
    ).toEqual([]);
  });
});
