import { UNIT_DIMENSIONS } from './sentence-vocabulary.js';

/*
 * A question says what the plugin should answer: "what time is it in Tokyo?" asks for a plugin that
 * tells the time, "what is 5 miles in kilometers?" for a converter, "how many words are in this
 * text?" for a word counter. Each is rewritten as the request it makes, for the sentence reader.
 */

const QUESTION = /^(?:what|what's|whats|which|how|who|where|when|is|are|can|do|does)\b/;

/** The request a question makes, in the reader's words; a sentence that is no question comes back as it is. */
export function questionAsRequest(lower: string): string {
  const text = lower.trim();
  if (!QUESTION.test(text) || /\b(?:plugin|i want|i need)\b/.test(text.split(/[?.!]/)[0] ?? '')) return text;
  const [question = '', ...rest] = text.split(/\?\s*/);
  const after = rest.join(' ').trim();
  const tail = after ? ` ${after}` : '';
  if (/^(?:what|which)\b.*\b(?:time|date|day(?: of the week)?|weekday|hour)\b/.test(question) && !/\b(?:in|to)\s+\d/.test(question)) {
    return `tell the current time${tail}`;
  }
  if (/^how many words\b/.test(question) || /\bword count\b/.test(question)) return `count the words in a text${tail}`;
  const units = UNIT_DIMENSIONS.some(([pattern]) => pattern.test(question));
  const amount = /(?:^|\s)-?\d+(?:[.,]\d+)?\s*[a-z°$€£]/.exec(question);
  if (units && amount) {
    const what = question.replace(/^(?:what(?:'s| is)|whats|how (?:much|many)(?:\s+\w+)?(?:\s+(?:is|are))?)\s+/, '');
    return `convert ${what}${tail}`;
  }
  const asked = /^(?:what(?:'s| is| are)|whats|how(?:'s| is| are)|which|who(?:'s| is)|where(?:'s| is))\s+(?:the\s+)?(.+)$/.exec(question)?.[1];
  if (asked) return `get the ${asked.replace(/\s+(?:like|today|now|right now|currently)\b/g, '').trim()}${tail}`;
  return text;
}
