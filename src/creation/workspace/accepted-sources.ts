import { safeRemove } from '../../shared/safe-fs/index.js';
import type { GeneratedFile } from '../generators/generator.js';
import { checkGeneratedPaths, writeSourceFiles } from './workspace-files.js';

/**
 * The pipeline's own copy of a plugin's sources: every file a generator's answer was accepted with,
 * later answers replacing earlier files of the same path. The workspace's src/ is rebuilt from it
 * before each iteration's checks (whatever a test left there, links included, goes), the model is
 * shown it, and the shipped build is made from it: never from the workspace after tests ran.
 */
export class AcceptedSources {
  private readonly files = new Map<string, string>();

  /**
   * @param pinned files the pipeline owns (the contract tests): written after the accepted ones on
   * every rebuild, whatever an answer said for their paths, and listed with them.
   */
  private readonly pinned: GeneratedFile[];

  constructor(
    private readonly workspaceDir: string,
    pinned: GeneratedFile[] = [],
  ) {
    this.pinned = [...pinned];
  }

  /** Pins more files (a confirmed review finding's test): kept from now on, whatever an answer says. */
  pin(files: GeneratedFile[]): void {
    for (const file of files) {
      const at = this.pinned.findIndex((f) => f.path === file.path);
      if (at >= 0) this.pinned.splice(at, 1);
      this.pinned.push(file);
    }
  }

  /**
   * Takes an answer over the earlier files and rebuilds src/ from the result. A refused path
   * refuses the whole answer (MODEL_OUTPUT_REFUSED) before anything is kept or written.
   */
  async accept(answer: GeneratedFile[]): Promise<void> {
    const next = new Map(this.files);
    for (const file of answer) next.set(file.path, file.content);
    const all = [...next].map(([path, content]) => ({ path, content }));
    // Every path is checked before src/ is emptied: a refused answer changes nothing.
    checkGeneratedPaths(all);
    await safeRemove(this.workspaceDir, 'src');
    await writeSourceFiles(this.workspaceDir, [...all, ...this.pinned]);
    this.files.clear();
    for (const [path, content] of next) this.files.set(path, content);
  }

  /**
   * Takes the text ESLint's fixes gave accepted files (src/ already holds it): the fixed sources are
   * the accepted ones from now on, shown to the model and shipped. Pinned files and paths no answer
   * wrote are left as they are. Returns the paths taken.
   */
  takeFixes(fixed: GeneratedFile[]): string[] {
    const pinned = new Set(this.pinned.map((f) => f.path));
    const taken = fixed.filter((f) => this.files.has(f.path) && !pinned.has(f.path));
    for (const file of taken) this.files.set(file.path, file.content);
    return taken.map((f) => f.path);
  }

  /** The accepted files with the pinned ones over them, sorted by path. */
  list(): GeneratedFile[] {
    const all = new Map(this.files);
    for (const file of this.pinned) all.set(file.path, file.content);
    return [...all].map(([path, content]) => ({ path, content })).sort((a, b) => a.path.localeCompare(b.path));
  }
}
