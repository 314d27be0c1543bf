/*
 * What is read from a request before anything is looked up: whether it asks for harm (refused
 * outright, with or without a model), and the words to search the registry with.
 */

/** Requests no plugin is made or installed for, whatever a model says. */
const HARMFUL: [RegExp, string][] = [
  [/\b(malware|ransomware|spyware|keylogg\w*|rootkit|botnet|trojan)\b/i, 'it asks for malicious software'],
  [/\b(ddos|denial[- ]of[- ]service|flood (?:a|the|their) (?:server|site|network))\b/i, 'it asks to attack a service'],
  [/\b(steal|exfiltrat\w*|harvest)\b.{0,40}\b(passwords?|credentials?|cookies|tokens?|keys?|card numbers?|identit(?:y|ies)|data)\b/i, 'it asks to steal data'],
  [/\b(phishing|phish)\b/i, 'it asks for phishing'],
  [/\b(hack|break) into\b|\bcrack (?:a |the |their |someone'?s )?passwords?\b|\bbrute[- ]?force\b/i, 'it asks to break into systems or accounts'],
  [/\b(dox+|doxx?ing|stalk\w*|track (?:my|a|the) (?:ex|wife|husband|girlfriend|boyfriend|neighbou?r))\b/i, 'it asks to spy on a person'],
  [/\b(bomb|explosive|nerve agent|bioweapon|untraceable (?:gun|weapon))\b/i, 'it asks for weapons'],
];

/** The reason a request is refused outright, if it is. */
export function harmIn(request: string): string | undefined {
  return HARMFUL.find(([pattern]) => pattern.test(request))?.[1];
}

const STOP = new Set(
  (
    'a an and are as at be but by can could do does for from get give have how i if in into is it its me my of on or ' +
    'please right now show tell that the their them then there these this to up us was we what whats when where which who ' +
    'why will with would you your yours today tomorrow currently current like some any need want let know find look ' +
    'hey hi hello ok okay just also much many about than s t'
  ).split(' '),
);

/** The words of a request worth searching a registry for, in order, at most `max`. */
export function searchWords(request: string, max = 6): string[] {
  const words = request.toLowerCase().replace(/[’']/g, '').split(/[^a-z0-9]+/).filter((w) => w.length > 1 && !STOP.has(w) && !/^\d+$/.test(w));
  return [...new Set(words)].slice(0, max);
}
