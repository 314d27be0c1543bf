/** How a person answered an offer. */
export type OfferDecision = { kind: 'yes'; option: number } | { kind: 'no' } | { kind: 'unclear' };

const YES = /^(?:yes|yeah|yep|yup|sure|ok(?:ay)?|go(?: ahead)?|do it|please do|install it|create it|build it|write it|let'?s do it|sounds good|approved?|accept)\b/i;
const NO = /^(?:no|nope|nah|don'?t|do not|cancel|never ?mind|stop|not now|decline)\b/i;
const NUMBER = /^(?:(?:yes|ok|okay|sure)[,\s]+)?(?:option\s*|number\s*|#)?([12])\b|\b(?:the )?(first|second)(?: one| option)?\b/i;

/** Reads a short answer to an offer: yes (with the option chosen), no, or not an answer. */
export function readDecision(text: string, options: number): OfferDecision {
  const t = text.trim().replace(/^[\s"'`]+|[\s"'`.!]+$/g, '');
  if (t.length === 0 || t.length > 120) return { kind: 'unclear' };
  if (NO.test(t)) return { kind: 'no' };
  const numbered = NUMBER.exec(t);
  if (numbered) {
    const n = numbered[1] ? Number(numbered[1]) : numbered[2]?.toLowerCase() === 'second' ? 2 : 1;
    if (n <= options) return { kind: 'yes', option: n };
  }
  if (YES.test(t)) return { kind: 'yes', option: 1 };
  return { kind: 'unclear' };
}
