import { no, type Outcome } from './reply.js';

/**
 * The honest answer of a component no recipe covers: it did nothing, says so, and says how to
 * finish it. Never a success.
 */
export function notImplemented(what: string, file: string, values: Record<string, unknown>): Outcome {
  const given = Object.keys(values).length ? ' I understood: ' + JSON.stringify(values) + '.' : '';
  return no(
    what +
      ' is not implemented yet: this plugin was generated from a template without a model.' +
      given +
      ' To finish it, write the behaviour in ' +
      file +
      ', or create the plugin again with a model (generator "model").',
    { implemented: false, file, understood: values },
  );
}
