import { ERROR_ADVICE } from '../errors.js';
import { OPERATIONS } from '../operations/index.js';

/**
 * The operations the panel calls, as the first line of the panel's script: its method and its path
 * relative to the page (the page is served under the same prefix as the JSON routes), so the panel
 * takes its routes from the operation table instead of spelling them again.
 */
export function panelOperationsScript(): string {
  const operations = Object.fromEntries(Object.entries(OPERATIONS).map(([name, op]) => [name, { method: op.method, path: op.path.slice(1) }]));
  return `const OPERATIONS = ${JSON.stringify(operations)};\n${panelAdviceScript()}`;
}

/** Each error code's advice in the panel's words (the catalogue's panel wording), for the panel's notices. */
function panelAdviceScript(): string {
  const advice = Object.fromEntries(Object.entries(ERROR_ADVICE).map(([code, a]) => [code, a.panel]));
  return `const ERROR_ADVICE = ${JSON.stringify(advice)};\n`;
}
