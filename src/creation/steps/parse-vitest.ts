import { relative } from 'node:path';
import { z } from 'zod';
import type { Diagnostic } from './diagnostics.js';

const VitestReport = z.object({
  numTotalTests: z.number(),
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string().optional(),
      message: z.string().optional(),
      assertionResults: z.array(
        z.object({
          fullName: z.string(),
          status: z.string(),
          failureMessages: z.array(z.string()).nullable().optional(),
          location: z.object({ line: z.number(), column: z.number() }).nullable().optional(),
        }),
      ),
    }),
  ),
});

export interface TestCounts {
  passed: number;
  failed: number;
  total: number;
}

// Strip terminal colours from messages, which vitest may add even with NO_COLOR in some paths.
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

function expectedReceived(message: string): { expected?: string; received?: string } {
  const m = /expected (.+?) to (?:be|equal|deeply equal|strictly equal|match|contain|have)[^\n]*?(?: (.+?))?(?:\s+\/\/|$)/m.exec(message);
  const expected = /^- Expected[^\n]*\n\+ Received[^\n]*\n\n([\s\S]*?)(?:\n\n|$)/m.exec(message);
  if (expected?.[1]) {
    const lines = expected[1].split('\n');
    return {
      expected: lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1).trim()).join(' ').slice(0, 300),
      received: lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1).trim()).join(' ').slice(0, 300),
    };
  }
  if (m) return { received: m[1]?.slice(0, 300), ...(m[2] ? { expected: m[2].slice(0, 300) } : {}) };
  return {};
}

/** `vitest run --reporter=json` output as counts and one diagnostic per failing test. */
export function parseVitestJson(json: string, workspaceDir: string): { counts: TestCounts; diagnostics: Diagnostic[] } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  const report = VitestReport.safeParse(data);
  if (!report.success) return undefined;
  const diagnostics: Diagnostic[] = [];
  for (const file of report.data.testResults) {
    const path = relative(workspaceDir, file.name);
    for (const test of file.assertionResults.filter((t) => t.status === 'failed')) {
      const message = stripAnsi((test.failureMessages ?? []).join('\n')).trim();
      diagnostics.push({
        tool: 'vitest',
        file: path,
        ...(test.location ? { line: test.location.line } : {}),
        code: test.fullName,
        message: message.split('\n')[0]?.slice(0, 500) ?? 'failed',
        ...expectedReceived(message),
      });
    }
    if (file.assertionResults.length === 0 && file.status === 'failed') {
      diagnostics.push({ tool: 'vitest', file: path, code: 'suite', message: stripAnsi(file.message ?? 'the test file failed to run').slice(0, 800) });
    }
  }
  const r = report.data;
  return { counts: { passed: r.numPassedTests, failed: r.numFailedTests, total: r.numTotalTests }, diagnostics };
}
