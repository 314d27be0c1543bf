import { createRequire } from 'node:module';
import type compromise from 'compromise';

const require = createRequire(import.meta.url);
let loaded: typeof compromise | undefined;

/**
 * compromise, loaded on first use: importing it takes most of a second, which every runtime start
 * (the CLI's headless one included) paid though only a description or a name's inflection needs it.
 */
export function nlp(text: string): ReturnType<typeof compromise> {
  loaded ??= require('compromise') as typeof compromise;
  return loaded(text);
}
