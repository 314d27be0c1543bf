import { describe, expect, it } from 'vitest';
import type { GenerationRequest, PluginGenerator } from '../../../src/creation/generators/generator.js';
import { parseStoredSources, resumableGenerator, STORED_SOURCES_MAX_BYTES, type StoredSources } from '../../../src/creation/jobs/job-sources.js';

const file = (path: string, content = 'export const x = 1;\n') => ({ path, content });

describe('stored sources read back', () => {
  it('keeps well-formed sources', () => {
    expect(parseStoredSources({ iteration: 2, files: [file('src/index.ts')] })).toEqual({ iteration: 2, files: [file('src/index.ts')] });
  });

  it.each([
    ['a path outside src/', { iteration: 1, files: [file('package.json')] }],
    ['a path that climbs out', { iteration: 1, files: [file('src/../../etc/passwd.ts')] }],
    ['too many bytes', { iteration: 1, files: [file('src/big.ts', 'x'.repeat(STORED_SOURCES_MAX_BYTES + 1))] }],
    ['too many files', { iteration: 1, files: Array.from({ length: 201 }, (_, i) => file(`src/f${i}.ts`)) }],
    ['no iteration', { files: [file('src/index.ts')] }],
    ['not an object', 'src/index.ts'],
  ])('drops %s', (_what, raw) => {
    expect(parseStoredSources(raw)).toBeUndefined();
  });
});

describe('the resumable generator', () => {
  const seen: GenerationRequest[] = [];
  const inner: PluginGenerator = {
    kind: 'model',
    generate: (request) => {
      seen.push(request);
      return Promise.resolve({ files: [file('src/actions.ts', `// iteration ${request.iteration}\n`)] });
    },
  };
  const request = (iteration: number): GenerationRequest => ({ spec: {} as GenerationRequest['spec'], iteration, currentFiles: [], feedback: undefined });

  it('starts a retry from the kept sources, takes its answer over them, and keeps each answer with its iteration', async () => {
    seen.length = 0;
    const saved: StoredSources[] = [];
    const lines: string[] = [];
    const kept = { iteration: 3, files: [file('src/index.ts'), file('src/actions.ts', '// old\n')] };
    const g = resumableGenerator(inner, 'job', { load: () => Promise.resolve(undefined), save: (_id, s) => Promise.resolve(void saved.push(s)) }, kept, (l) =>
      Promise.resolve(void lines.push(l)),
    );
    const first = await g.generate(request(1));
    expect(seen[0]?.currentFiles).toEqual(kept.files);
    expect(first.files).toEqual([file('src/index.ts'), file('src/actions.ts', '// iteration 1\n')]);
    expect(lines).toEqual(['Resumed from the accepted sources of iteration 3 (2 file(s)) kept by an earlier attempt']);
    await g.generate(request(2));
    expect(saved.map((s) => s.iteration)).toEqual([4, 5]);
    expect(saved[1]?.files).toEqual([file('src/index.ts'), file('src/actions.ts', '// iteration 2\n')]);
  });

  it('keeps nothing of an answer the pipeline would refuse', async () => {
    const saved: StoredSources[] = [];
    const bad: PluginGenerator = { kind: 'model', generate: () => Promise.resolve({ files: [file('../escape.ts')] }) };
    const g = resumableGenerator(bad, 'job', { load: () => Promise.resolve(undefined), save: (_id, s) => Promise.resolve(void saved.push(s)) }, undefined, () => Promise.resolve());
    await expect(g.generate(request(1))).rejects.toMatchObject({ code: 'MODEL_OUTPUT_REFUSED' });
    expect(saved).toEqual([]);
  });
});
