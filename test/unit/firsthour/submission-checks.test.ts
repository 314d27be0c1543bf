import { describe, expect, it } from 'vitest';
import { pickAction } from '../../../src/cli/action-choice.js';
import { refuseEmptySpec, specComponentNames } from '../../../src/creation/jobs/submission-checks.js';
import { parsePluginSpec } from '../../../src/creation/spec/spec-schema.js';
import type { PluginDynamicError } from '../../../src/errors.js';

const caught = (fn: () => unknown): PluginDynamicError => {
  try {
    fn();
  } catch (error) {
    return error as PluginDynamicError;
  }
  throw new Error('nothing was raised');
};

describe('what a specification is refused for before any work', () => {
  it('refuses a specification with a name and a description only, saying what to add', () => {
    const e = caught(() => refuseEmptySpec(parsePluginSpec({ name: 'plugin-empty', description: 'Does nothing yet' })));
    expect(e.code).toBe('INVALID_SPEC');
    expect(e.message).toMatch(/^Cannot create plugin-empty \(it declares no component.*add at least one of "actions", "providers", "services" or "evaluators"/);
  });

  it('lets a specification with one component through', () => {
    expect(() => refuseEmptySpec(parsePluginSpec({ name: 'plugin-one', description: 'One', providers: [{ name: 'onlyOne', description: 'x' }] }))).not.toThrow();
  });

  it('names the runtime names a specification registers', () => {
    const spec = parsePluginSpec({ name: 'plugin-n', description: 'n', actions: [{ name: 'addNote', description: 'a' }], providers: [{ name: 'notesSummary', description: 'p' }] });
    expect(specComponentNames(spec)).toEqual([{ kind: 'action', name: 'ADD_NOTE' }, { kind: 'provider', name: 'notesSummary' }]);
  });

  it('finds --run-action NAME in the specification by its ElizaOS or spec name, and refuses a name it lacks', () => {
    const spec = parsePluginSpec({ name: 'plugin-n', description: 'n', actions: [{ name: 'addNote', description: 'a' }] });
    expect(pickAction(spec, 'ADD_NOTE').actionName).toBe('ADD_NOTE');
    expect(caught(() => pickAction(spec, 'CONVERT_UNITS')).message).toBe('The plugin has no action CONVERT_UNITS to run (actions: ADD_NOTE).');
  });
});
