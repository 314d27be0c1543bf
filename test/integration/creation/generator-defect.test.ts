import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFiles } from '../../../src/creation/generators/template/index.js';
import type { PluginGenerator } from '../../../src/creation/generators/generator.js';
import { runPipeline, type IterationResult } from '../../../src/creation/pipeline/run-pipeline.js';
import { parsePluginSpec } from '../../../src/creation/spec/index.js';
import { ensureToolchain, linkToolchain, type Toolchain } from '../../../src/creation/toolchain/index.js';
import { scaffoldWorkspace } from '../../../src/creation/workspace/index.js';

const spec = parsePluginSpec({
  name: 'plugin-defect',
  description: 'Keeps notes',
  actions: [{ name: 'add note', description: 'Add a note', parameters: { text: 'string' } }],
});

/** The template's files with one helper nothing uses: a lint failure no feedback can change. */
const defective: PluginGenerator = {
  kind: 'template',
  deterministic: true,
  async generate() {
    return { files: templateFiles(spec).map((f) => (f.path === 'src/index.ts' ? { ...f, content: `${f.content}\nfunction neverUsed(): number {\n  return 1;\n}\n` } : f)) };
  },
};

describe('a deterministic generator that fails its own gates', () => {
  let root: string;
  let toolchain: Toolchain;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pd-defect-'));
    toolchain = await ensureToolchain(join(root, 'data'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('stops after the first iteration with GENERATOR_DEFECT, naming the gate and the cause', async () => {
    const workspaceDir = join(root, 'workspace');
    await scaffoldWorkspace(workspaceDir, spec);
    await linkToolchain(toolchain, workspaceDir);
    const iterations: IterationResult[] = [];
    const run = runPipeline(
      { spec, workspaceDir, toolchain, generator: defective, maxIterations: 5, commandTimeoutMs: 180_000, outputCapBytes: 4_194_304, reviewThreshold: 0, signal: new AbortController().signal },
      { phase: async () => undefined, log: async () => undefined, iterationDone: async (r) => void iterations.push(r) },
    );
    await expect(run).rejects.toMatchObject({
      code: 'GENERATOR_DEFECT',
      message: expect.stringMatching(/failed lint in iteration 1: .*neverUsed.*generator defect to report.*a repeat cannot change the result/s),
    });
    expect(iterations.map((i) => [i.iteration, i.failedAt])).toEqual([[1, 'lint']]);
  });
});
