import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_EXAMPLE, MODEL_EXAMPLE, POSTING_EXAMPLE, SERVICE_EXAMPLE } from '../../../../src/creation/generators/model/eliza-facts.js';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { CheckWorker, runBuild, runLint } from '../../../../src/creation/steps/index.js';
import { linkToolchain, type Toolchain } from '../../../../src/creation/toolchain/index.js';
import { scaffoldWorkspace } from '../../../../src/creation/workspace/index.js';
import { fixtureRoot, stepContext } from './workspace-fixture.js';

let root: string;
let toolchain: Toolchain;

beforeAll(async () => {
  ({ root, toolchain } = await fixtureRoot());
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Every piece of code the generation prompt shows, each as the file a model would copy it into.
const SNIPPETS: Record<string, string> = {
  'src/services/notes-service.ts': SERVICE_EXAMPLE,
  'src/events.ts': EVENT_EXAMPLE,
  'src/services/reminder-service.ts': POSTING_EXAMPLE,
  'src/summarise.ts': MODEL_EXAMPLE,
};

describe("the code the prompt shows, in a workspace with the pipeline's own configuration", () => {
  it('builds against core 1.7 and passes lint as written: nothing to report, nothing for ESLint to fix', async () => {
    const dir = join(root, 'snippets');
    await scaffoldWorkspace(dir, parsePluginSpec({ name: 'plugin-snippets', description: 'The prompt snippets' }));
    await linkToolchain(toolchain, dir);
    for (const [path, code] of Object.entries(SNIPPETS)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), `${code}\n`);
    }
    const worker = new CheckWorker(dir);
    try {
      const ctx = stepContext(dir, toolchain, { worker });
      const built = await runBuild(ctx);
      expect(built.diagnostics).toEqual([]);
      const linted = await runLint(ctx);
      expect(linted.diagnostics).toEqual([]);
      expect(linted.fixed).toBeUndefined();
      expect(linted.ok).toBe(true);
      for (const [path, code] of Object.entries(SNIPPETS)) expect(await readFile(join(dir, path), 'utf8')).toBe(`${code}\n`);
    } finally {
      worker.close();
    }
  }, 120_000);
});
