import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { safeRemove } from '../../shared/safe-fs/index.js';
import { restoreContractTests } from '../contract-tests/index.js';
import { templateFiles } from '../generators/template/index.js';
import type { PluginSpec } from '../spec/plugin-spec.js';
import { runBuild, runLint, runTests, type StepContext } from '../steps/index.js';
import { writeSourceFiles } from '../workspace/index.js';

/** What a practice run leaves in the workspace besides its sources: all of it is removed after. */
const PRACTICE_LEFTOVERS = ['src', 'dist', '.vitest-report', '.tsbuildinfo'];

/**
 * One iteration's checks run through a spare's workers on the template plugin of its own
 * specification: build, then lint and tests side by side, exactly as a job's steps run them. Each
 * tool's first run in a process costs more than the later ones (the checker binds the libraries'
 * types, ESLint builds its caches, Vitest starts its transform pipeline): paid here, before a job
 * arrives. The outcome is not judged; the sources and everything the run wrote are removed after, so
 * the job finds an empty src/. Never throws: a worker that failed is met by the spare's own watch.
 */
export async function practise(spec: PluginSpec, ctx: StepContext, marker: string): Promise<void> {
  const dir = ctx.workspaceDir;
  try {
    // Marked, so no job's file has a practice file's text: the checker's incremental build then
    // emits every file of the job again (it skips a file whose text it has built), and dist/ can go.
    await writeSourceFiles(dir, templateFiles(spec).map((file) => ({ ...file, content: `${file.content}\n// ${marker}\n` })));
    await restoreContractTests(dir, spec);
    await runBuild(ctx);
    await Promise.all([runLint(ctx), runTests(ctx)]);
  } catch {
    // Practice only: a job's own run meets, and reports, whatever failed here.
  } finally {
    for (const name of PRACTICE_LEFTOVERS) await safeRemove(dir, name).catch(() => undefined);
    await mkdir(join(dir, 'src'), { recursive: true }).catch(() => undefined);
  }
}
