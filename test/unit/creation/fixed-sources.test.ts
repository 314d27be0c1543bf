import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixedSources } from '../../../src/creation/steps/fixed-sources.js';
import { AcceptedSources } from '../../../src/creation/workspace/accepted-sources.js';

describe("the sources ESLint's fixes hand back", () => {
  it('keeps only TypeScript files under src/, and nothing of an answer it cannot read', () => {
    expect(
      readFixedSources([
        { path: 'src/a.ts', content: 'const a = 1;\n' },
        { path: '../outside.ts', content: 'x' },
        { path: 'package.json', content: '{}' },
        { path: 'src/b.js', content: 'x' },
      ]),
    ).toEqual([{ path: 'src/a.ts', content: 'const a = 1;\n' }]);
    expect(readFixedSources({ path: 'src/a.ts' })).toEqual([]);
    expect(readFixedSources(undefined)).toEqual([]);
  });

  it('become the accepted sources, except pinned files and paths no answer wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pd-fixed-'));
    const sources = new AcceptedSources(dir, [{ path: 'src/__contract__/contract.test.ts', content: 'pinned' }]);
    await sources.accept([{ path: 'src/a.ts', content: 'let a = 1;\n' }]);
    const taken = sources.takeFixes([
      { path: 'src/a.ts', content: 'const a = 1;\n' },
      { path: 'src/__contract__/contract.test.ts', content: 'changed' },
      { path: 'src/new.ts', content: 'export {};\n' },
    ]);
    expect(taken).toEqual(['src/a.ts']);
    expect(sources.list()).toEqual([
      { path: 'src/__contract__/contract.test.ts', content: 'pinned' },
      { path: 'src/a.ts', content: 'const a = 1;\n' },
    ]);
    await rm(dir, { recursive: true, force: true });
  });
});
