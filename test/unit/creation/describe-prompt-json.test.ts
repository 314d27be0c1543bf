import { describe, expect, it } from 'vitest';
import { describeWithModel } from '../../../src/creation/spec/describe-with-model.js';

describe('the sentence prompt', () => {
  it('shows its example as one JSON object that parses, with no comments, since it asks for JSON only', async () => {
    const prompts: string[] = [];
    await describeWithModel(async (prompt) => {
      prompts.push(prompt);
      return JSON.stringify({ name: 'plugin-shopping', description: 'A shopping list' });
    }, 'a shopping list');
    const prompt = prompts[0] ?? '';
    expect(prompt).toContain('Answer with one JSON object only');
    const example = prompt.slice(prompt.indexOf('in this shape:\n') + 'in this shape:\n'.length, prompt.indexOf('\n}\n') + 2);
    expect(example).not.toContain('//');
    expect(() => JSON.parse(example) as unknown).not.toThrow();
    expect(JSON.parse(example)).toMatchObject({ name: 'plugin-example', permissions: { network: ['api.thing.example'] } });
  });
});
