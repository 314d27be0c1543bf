import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckWorker, runLint } from '../../../../src/creation/steps/index.js';
import type { Toolchain } from '../../../../src/creation/toolchain/index.js';
import { startLineProcess } from '../../../../src/shared/process-runner.js';
import { fixtureRoot, makeWorkspace, stepContext } from './workspace-fixture.js';

let root: string;
let toolchain: Toolchain;

beforeAll(async () => {
  ({ root, toolchain } = await fixtureRoot());
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// An ESLint config is code the warm checker runs: this one prints 200 MB on its checker's stdout.
const FLOODING_ESLINT_CONFIG = `import js from '@eslint/js';

for (let i = 0; i < 200; i++) process.stdout.write('x'.repeat(1024 * 1024));
export default [js.configs.recommended];
`;

describe("the warm checker's output goes through the capped runner", () => {
  it('a checker that prints 200 MB is killed at the output cap, and the lint step names the bound', async () => {
    const dir = await makeWorkspace(root, 'flood', toolchain, {
      'eslint.config.js': FLOODING_ESLINT_CONFIG,
      'src/add.ts': 'export const add = (a: number, b: number): number => a + b;\n',
    });
    const cap = 1024 * 1024;
    const worker = new CheckWorker(dir, undefined, cap);
    try {
      const result = await runLint(stepContext(dir, toolchain, { worker, outputCapBytes: cap }));
      expect(result).toMatchObject({ step: 'lint', ok: false, outputLimitHit: true });
      expect(result.bounds).toContain('the output-size limit');
    } finally {
      worker.close();
    }
  });

  it('startLineProcess hands over whole lines and kills a child whose line passes the cap', async () => {
    const lines: string[] = [];
    const child = startLineProcess(
      {
        command: process.execPath,
        // writeSync: the bytes reach the pipe now, not queued in the child's own memory.
        args: ['-e', "const fs = require('node:fs'); fs.writeSync(1, 'one\\ntwo\\n'); for (;;) fs.writeSync(1, 'y'.repeat(65536));"],
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
        maxOutputBytes: 256 * 1024,
      },
      (line) => lines.push(line),
    );
    expect(await child.ended).toEqual({ outputLimitHit: true });
    expect(lines).toEqual(['one', 'two']);
  });
});
