import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeToSpec, parsePluginSpec } from '../../../src/creation/spec/index.js';
import { specInput, specSummary } from '../../../src/extension/spec-input.js';
import { specArb } from '../../helpers/spec-arbitrary.js';

describe('the specification an offer shows is the one a yes builds', () => {
  it('parses back to the same specification, for every shape the schema accepts', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        // Through JSON, as the offer is stored.
        expect(parsePluginSpec(JSON.parse(JSON.stringify(specInput(spec))))).toEqual(spec);
      }),
      { numRuns: 200 },
    );
  });

  it('summarises each component on one line, optional parameters marked', () => {
    const spec = describeToSpec('convert 5 km to miles');
    expect(specSummary(spec)).toEqual(['action CONVERT_LENGTH(amount?, fromLength?, toLength?): Convert length values']);
  });
});
