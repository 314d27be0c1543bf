import { ModelType } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../helpers/runtime.js';

describe('the test runtime helper', () => {
  let t: TestRuntime;
  beforeAll(async () => {
    t = await createTestRuntime({ model: ['first answer', 'second answer'] });
  });
  afterAll(async () => t.cleanup());

  it('gives a real runtime whose database stores and reads back values', async () => {
    await t.runtime.setCache('helper-check', { n: 42 });
    expect(await t.runtime.getCache('helper-check')).toEqual({ n: 42 });
  });

  it('answers text model calls from the script, in order, recording the prompts', async () => {
    expect(await t.runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'one' })).toBe('first answer');
    expect(await t.runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'two' })).toBe('second answer');
    expect(t.prompts).toEqual(['one', 'two']);
  });
});
