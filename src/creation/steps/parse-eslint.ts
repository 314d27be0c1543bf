import { relative } from 'node:path';
import { z } from 'zod';
import type { Diagnostic } from './diagnostics.js';

const EslintReport = z.array(
  z.object({
    filePath: z.string(),
    messages: z.array(
      z.object({
        ruleId: z.string().nullable().optional(),
        severity: z.number(),
        message: z.string(),
        line: z.number().optional(),
        column: z.number().optional(),
      }),
    ),
  }),
);

/** `eslint --format json` as diagnostics (errors only: warnings do not fail the gate). */
export function parseEslintJson(json: string, workspaceDir: string): Diagnostic[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return [];
  }
  const report = EslintReport.safeParse(data);
  if (!report.success) return [];
  return report.data.flatMap((file) =>
    file.messages
      .filter((m) => m.severity >= 2)
      .map((m) => ({
        tool: 'eslint' as const,
        file: relative(workspaceDir, file.filePath),
        ...(m.line === undefined ? {} : { line: m.line }),
        ...(m.column === undefined ? {} : { column: m.column }),
        code: m.ruleId ?? 'parse-error',
        message: m.message,
      })),
  );
}
