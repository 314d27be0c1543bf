import { describe, expect, it } from 'vitest';
import { parseEslintJson, parseTscOutput, parseVitestJson } from '../../../src/creation/steps/index.js';
import { parseModelFiles, checkModelFilePaths } from '../../../src/creation/generators/model/index.js';

describe('tool output parsers', () => {
  it('reads tsc --pretty false lines with their continuation', () => {
    const out = "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n  More detail.\n";
    expect(parseTscOutput(out, '/ws')).toEqual([
      { tool: 'tsc', file: 'src/a.ts', line: 3, column: 7, code: 'TS2322', message: "Type 'string' is not assignable to type 'number'. More detail." },
    ]);
  });

  it('reads eslint JSON, keeping errors only', () => {
    const json = JSON.stringify([{ filePath: '/ws/src/a.ts', messages: [{ ruleId: 'no-unused-vars', severity: 2, message: 'x is unused', line: 2, column: 1 }, { ruleId: 'w', severity: 1, message: 'warn' }] }]);
    expect(parseEslintJson(json, '/ws')).toEqual([{ tool: 'eslint', file: 'src/a.ts', line: 2, column: 1, code: 'no-unused-vars', message: 'x is unused' }]);
  });

  it('reads vitest JSON into counts and a failing test with expected and received', () => {
    const json = JSON.stringify({
      numTotalTests: 2,
      numPassedTests: 1,
      numFailedTests: 1,
      testResults: [
        {
          name: '/ws/src/a.test.ts',
          status: 'failed',
          assertionResults: [
            { fullName: 'adds', status: 'passed', failureMessages: [] },
            { fullName: 'counts', status: 'failed', failureMessages: ['AssertionError: expected 2 to be 3 // Object.is equality\n    at x'], location: { line: 4, column: 3 } },
          ],
        },
      ],
    });
    const parsed = parseVitestJson(json, '/ws');
    expect(parsed?.counts).toEqual({ passed: 1, failed: 1, total: 2 });
    expect(parsed?.diagnostics[0]).toMatchObject({ file: 'src/a.test.ts', line: 4, code: 'counts', expected: '3', received: '2' });
  });
});

describe("a model's answer", () => {
  it('gives the files named in fence info strings or on the line before', () => {
    const answer = 'Sure.\n```ts path=src/a.ts\nexport const a = 1;\n```\nFile: `src/b.ts`\n```typescript\nexport const b = 2;\n```\n';
    expect(parseModelFiles(answer)).toEqual([
      { path: 'src/a.ts', content: 'export const a = 1;\n' },
      { path: 'src/b.ts', content: 'export const b = 2;\n' },
    ]);
  });

  it.each(['../../x.ts', '/etc/x.ts', 'package.json', 'src/../../x.ts', 'src/a.js'])('refuses the path %s', (path) => {
    expect(() => checkModelFilePaths([{ path, content: '' }])).toThrow(expect.objectContaining({ code: 'MODEL_OUTPUT_REFUSED' }));
  });
});
