import { plural } from './english.js';
import { camelCase } from './identifiers.js';
import type { Intent } from './sentence-vocabulary.js';
import { UNIT_DIMENSIONS } from './sentence-vocabulary.js';

/** One action of a specification the sentence reader writes. */
export interface ActionOut {
  name: string;
  description: string;
  parameters: Record<string, string>;
}

export const action = (name: string, description: string, parameters: Record<string, string> = {}): ActionOut => ({ name: camelCase(name), description, parameters });

/** Every unit dimension a text names, in the order the vocabulary lists them. */
export function dimensionsOf(text: string): string[] {
  return UNIT_DIMENSIONS.filter(([pattern]) => pattern.test(text)).map(([, d]) => d);
}

/** A converter per dimension the sentence names ("miles to km and pounds to kg": length and mass). */
export function conversionActions(text: string): ActionOut[] {
  const named = dimensionsOf(text);
  // "seconds" in "convert ... in seconds" is a duration only when nothing else is named.
  const dims = named.length > 1 ? named.filter((d) => d !== 'time') : named;
  return (dims.length ? dims : ['units']).map((dimension) => {
    const unit = dimension === 'units' ? 'unit' : dimension;
    return action(`convert ${dimension}`, `Convert ${dimension === 'units' ? 'between units' : dimension} values`, { amount: 'number?', [camelCase(`from ${unit}`)]: 'string?', [camelCase(`to ${unit}`)]: 'string?' });
  });
}

/** The text tools a sentence asks for, each its own action. */
export function textActions(text: string): ActionOut[] {
  const out: ActionOut[] = [];
  if (/\bslug/.test(text)) out.push(action('slugify text', 'Turn text into a URL slug', { text: 'string' }));
  if (/\bupper ?case\b/.test(text)) out.push(action('uppercase text', 'Make text uppercase', { text: 'string' }));
  if (/\blower ?case\b/.test(text)) out.push(action('lowercase text', 'Make text lowercase', { text: 'string' }));
  if (out.length && /\bcount\b.*\bwords?\b|\bword ?count\b/.test(text)) out.push(action('count words', 'Count the words in a text', { text: 'string' }));
  return out;
}

const MODIFIERS = new Set<Intent>(['mark', 'complete', 'rate', 'rename', 'update', 'find']);

/** What "keep" asks for beside the verbs said: all of add, list, remove alone; add and list beside verbs that change records. */
function keptIntents(intents: Intent[]): Intent[] {
  const said = intents.filter((i) => i !== 'keep');
  if (!intents.includes('keep')) return said;
  if (said.length === 0) return ['add', 'list', 'remove'];
  return said.every((i) => MODIFIERS.has(i)) ? ['add', 'list', ...said] : said;
}

/** Records: one store named after its noun; add/remove/mark/rate/rename name one record, list/find/clear many. */
export function recordActions(intents: Intent[], item: string): ActionOut[] {
  const many = plural(item);
  const wanted = keptIntents(intents);
  return [...new Set(wanted)].map((intent) => {
    switch (intent) {
      case 'add':
        return action(`add ${item}`, `Add a ${item}`, { text: 'string' });
      case 'remove':
        return action(`remove ${item}`, `Remove a ${item} by its number or words`, { id: 'string' });
      case 'update':
        return action(`update ${item}`, `Change a ${item}`, { id: 'string', text: 'string' });
      case 'find':
        return action(`find ${many}`, `Find ${many} by their words`, { query: 'string' });
      case 'mark':
        return action(`mark ${item}`, `Mark a ${item} with a status, such as read or done`, { id: 'string', status: 'string' });
      case 'complete':
        return action(`complete ${item}`, `Mark a ${item} as done`, { id: 'string' });
      case 'rate':
        return action(`rate ${item}`, `Give a ${item} a rating`, { id: 'string', rating: 'number' });
      case 'rename':
        return action(`rename ${item}`, `Rename a ${item}`, { id: 'string', text: 'string' });
      case 'clear':
        return action(`clear ${many}`, `Remove every ${item}`);
      default:
        return action(`list ${many}`, `List the ${many}`);
    }
  });
}

export function scheduleActions(intents: Intent[], noun: string): ActionOut[] {
  const kinds = new Set(intents.map((i) => (i === 'clear' ? 'clear' : i === 'remove' ? 'cancel' : i === 'list' || i === 'find' ? 'list' : 'set')));
  const all = kinds.size === 1 && kinds.has('set') && intents.every((i) => i === 'remind' || i === 'timer') ? new Set(['set', 'list', 'cancel']) : kinds;
  const out: ActionOut[] = [];
  if (all.has('set')) out.push(action(`set ${noun}`, `Set a ${noun} to remind the user of something at a time`, { text: 'string', when: 'string' }));
  if (all.has('list')) out.push(action(`list ${plural(noun)}`, `List the ${noun}s that are set`));
  if (all.has('cancel')) out.push(action(`cancel ${noun}`, `Cancel a ${noun} by its number or words`, { which: 'string' }));
  if (all.has('clear')) out.push(action(`clear ${plural(noun)}`, `Clear all the ${noun}s that are set`));
  return out;
}

