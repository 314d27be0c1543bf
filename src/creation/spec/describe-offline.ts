import { nlp } from './lazy-nlp.js';
import { PluginDynamicError } from '../../errors.js';
import { plural, singular } from './english.js';
import { camelCase, pascalCase, words } from './identifiers.js';
import type { PluginSpec } from './plugin-spec.js';
import { FRAMING, KNOWN_HOSTS, NOT_A_THING, VERB_INTENTS, type Intent } from './sentence-vocabulary.js';
import { action, conversionActions, recordActions, scheduleActions, textActions, type ActionOut } from './sentence-actions.js';
import { questionAsRequest } from './sentence-questions.js';
import { parsePluginSpec } from './spec-schema.js';

/** A sentence the offline reader understands, for the advice it gives when it understands nothing. */
export const WORKING_EXAMPLE = 'a plugin that keeps a shopping list: add, remove and show items';

interface Token {
  word: string;
  root: string;
  tags: Set<string>;
  /** Punctuation after the word (", " or ": "). */
  post: string;
}

interface Request {
  intent: Intent;
  /** The thing it acts on, as said ("shopping list", "star count"), if any. */
  object: string[];
  /** "for a city" -> "city". */
  forWhat: string | undefined;
  /** "clear all", "delete every": the verb acts on every record at once. */
  all?: boolean;
}

const RECORD_INTENTS = new Set<Intent>(['add', 'remove', 'list', 'find', 'update', 'clear', 'keep', 'mark', 'complete', 'rate', 'rename']);
const SCHEDULE_NOUNS = new Set(['reminder', 'timer', 'alarm']);
const TIME_NOUNS = new Set(['time', 'date', 'clock', 'day', 'timezone', 'zone']);

function unusable(sentence: string, why: string): PluginDynamicError {
  return new PluginDynamicError(
    'DESCRIPTION_UNUSABLE',
    `"${sentence.slice(0, 80)}" ${why}. Say what it does to what, for example "${WORKING_EXAMPLE}".`,
  );
}

function intentOf(t: Token): Intent | undefined {
  for (const w of [t.root, t.word, t.word.replace(/s$/, ''), t.word.replace(/ing$/, ''), t.word.replace(/ing$/, 'e')]) {
    const intent = VERB_INTENTS[w];
    if (intent) return intent;
  }
  return undefined;
}

/** The sentence without "I need a plugin that" and the like. */
function body(lower: string): string {
  return lower
    .replace(/^(?:please\s+)?(?:(?:i|we)\s+(?:really\s+)?(?:need|want|would like|'d like)\s+)?/, '')
    .replace(/^(?:(?:a|an|the)\s+)?(?:(?:new|simple|small)\s+)?(?:elizaos\s+)?plugin\s+(?:that|which|to|for|so that it|so i can|where)\s+/, '')
    .replace(/^(?:(?:can|could) you\s+)?(?:make|create|build|write)\s+(?:me\s+)?(?:a|an)\s+(?:plugin\s+)?(?:that|which|to|for)\s+/, '')
    .replace(/^to\s+/, '')
    .replace(/\blook up\b/g, 'lookup')
    .replace(/\bkeep track of\b/g, 'keep')
    .replace(/\b(?:every\s+(?:\d+\s+)?(?:seconds?|minutes?|hours?|days?)|periodically|regularly|continuously)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Settings {
  api: string | undefined;
  hosts: string[];
  key: boolean;
  url: string | undefined;
}

/** Which service the sentence names (an API, a known site, a domain), and which settings it says it needs. */
function settingsOf(lower: string): Settings {
  const hosts: string[] = [];
  let api: string | undefined;
  const domain = /\b((?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|gov|edu|co|ai))\b/.exec(lower)?.[1];
  if (domain) {
    hosts.push(domain);
    const labels = domain.split('.');
    api = labels[labels.length - 2];
  }
  const known = Object.keys(KNOWN_HOSTS).find((name) => new RegExp(`\\b${name}\\b`).test(lower));
  if (known) {
    api ??= known;
    const host = KNOWN_HOSTS[known];
    if (host && !hosts.includes(host)) hosts.push(host);
  }
  const named = /\b(?:the|an?|its|their)\s+([a-z][a-z0-9]*(?:\s+[a-z][a-z0-9]*){0,2})\s+api\b/.exec(lower)?.[1];
  if (named && !api) api = named.split(' ').filter((w) => !NOT_A_THING.has(w)).join(' ') || undefined;
  const key = /\b(?:api[ -]?key|token|credentials?|secret|password)\b/.test(lower);
  const url = /\b(?:needs?|requires?|takes?|with|given|configured with)\s+(?:an?\s+|the\s+|its\s+|my\s+)?(?:([a-z]+)\s+)?(?:url|endpoint|address)\b/.exec(lower);
  return { api, hosts, key, url: url ? (url[1] && !['base', 'api'].includes(url[1]) ? url[1] : 'service') : undefined };
}

/** Cuts the clauses about settings and services off the part that says what the plugin does. */
function withoutSettingClauses(text: string, s: Settings): string {
  let out = text.replace(/(?:,|\s)\s*(?:needs?|requires?|using|via|through|with (?:an?|my|the|its)\s[\w\s]*?\b(?:api|key|token|url)\b).*$/, '');
  if (s.api) out = out.replace(new RegExp(`\\s(?:from|on|at|in)\\s+(?:the\\s+)?[\\w.\\s-]*\\b${s.api.split(' ')[0] ?? ''}\\b.*$`), '');
  for (const h of s.hosts) out = out.replace(h, ' ');
  return out.replace(/\s+/g, ' ').trim();
}

function tokensOf(text: string): Token[] {
  const doc = nlp(text);
  doc.compute('root');
  const json = doc.terms().json() as { terms: { normal?: string; text: string; root?: string; tags?: string[]; post?: string }[] }[];
  return json.flatMap((j) => j.terms).map((t) => {
    const word = (t.normal ?? t.text).toLowerCase();
    return { word, root: (t.root ?? word).toLowerCase(), tags: new Set(t.tags ?? []), post: t.post ?? '' };
  });
}

/** The thing after position i: a noun phrase, without determiners, up to a preposition or a verb. */
function objectAfter(tokens: Token[], i: number): { object: string[]; forWhat: string | undefined } {
  const object: string[] = [];
  let j = i + 1;
  if (tokens[j]?.word === 'for' || tokens[j]?.word === 'between') j++;
  for (; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (object.length === 0 && (NOT_A_THING.has(t.word) || t.tags.has('Determiner') || t.tags.has('Adjective'))) {
      if (/[,:;]/.test(t.post)) break;
      continue;
    }
    if (t.tags.has('Preposition') || t.tags.has('Conjunction') || (t.tags.has('Verb') && object.length > 0 && !/^lists?$/.test(t.word)) || intentOf(t) === 'list' && object.length > 0 && t.word !== 'list' && t.word !== 'lists') break;
    if (!t.tags.has('Noun') && !t.tags.has('Adjective') && !t.tags.has('Value') && object.length > 0 && !/^lists?$/.test(t.word)) break;
    if (NOT_A_THING.has(t.word)) break;
    // "add, remove and list": the next verb of a list is not a thing.
    if (object.length === 0 && intentOf(t) !== undefined && (/,/.test(t.post) || /,/.test(tokens[j - 1]?.post ?? ''))) break;
    if (t.word.endsWith("'s")) {
      object.push(t.word.replace(/'s$/, ''));
      break;
    }
    object.push(t.word);
    if (/[,:;]/.test(t.post)) break;
  }
  const rest = tokens.slice(j).map((t) => t.word).join(' ');
  const forWhat = /\b(?:for|in|of) (?:a|an|the|any|each|every)? ?([a-z]+)\b/.exec(rest)?.[1];
  return { object, forWhat: forWhat && !NOT_A_THING.has(forWhat) ? forWhat : undefined };
}

/** Every verb that asks for something, with what it acts on. */
function requestsOf(tokens: Token[]): Request[] {
  const out: Request[] = [];
  tokens.forEach((t, i) => {
    const intent = intentOf(t);
    if (!intent || NOT_A_THING.has(t.word)) return;
    const prev = tokens[i - 1];
    // "mark them as read": the state a record is marked with, not a request.
    if (prev?.word === 'as' || (prev && /^(?:done|read|watched|finished)$/.test(t.word) && tokens.slice(Math.max(0, i - 4), i).some((x) => x.word === 'mark'))) return;
    const listed = !prev || /[,:;]/.test(prev.post) || ['and', 'or', 'with', 'to', 'then'].includes(prev.word);
    const verbish = t.tags.has('Verb') || t.tags.has('Infinitive') || i === 0 || listed;
    const nounIntent = ['reminder', 'timer', 'roller', 'converter', 'dice', 'translator', 'calculator', 'counter', 'summarizer', 'monitor', 'watcher'].includes(singular(t.word));
    if (!verbish && !nounIntent) return;
    if (FRAMING.has(t.root) && !intent) return;
    if (['list', 'lists'].includes(t.word) && prev && (prev.tags.has('Noun') || prev.tags.has('Adjective')) && !listed) return;
    // "movies I want to watch": what the person does, not what the plugin does.
    if (prev?.word === 'to' && FRAMING.has(tokens[i - 2]?.root ?? '') && /^(?:i|we|you)$/.test(tokens[i - 3]?.word ?? '')) return;
    // "cancel all my timers": the timers are what the verb acts on, not a request of their own.
    if (nounIntent && !verbish && out.some((r) => r.object.includes(t.word))) return;
    if (nounIntent && !verbish) {
      // "a website monitor" acts on the website; "a reminder plugin" on reminders.
      const before = prev && prev.tags.has('Noun') && !NOT_A_THING.has(prev.word) ? prev.word : undefined;
      out.push({ intent, object: [before ?? singular(t.word)], forWhat: undefined });
      return;
    }
    const { object, forWhat } = objectAfter(tokens, i);
    const all = /^(?:all|every|everything)$/.test(tokens[i + 1]?.word ?? '');
    out.push({ intent: all && ['remove', 'clear'].includes(intent) ? 'clear' : intent, object, forWhat, all });
  });
  return out;
}

const phrase = (object: string[]): string => object.filter((w) => !NOT_A_THING.has(w)).join(' ');

/**
 * A specification from a sentence, without a model. compromise (an English grammar library) finds
 * the verbs, their lemmas and the things they act on; the vocabulary maps them to what a plugin
 * does: records, reminders, conversions, dice, time, API calls, monitors, text tools. Settings
 * and network hosts come from the services the sentence names. Deterministic.
 */
export function describeToSpec(sentence: string): PluginSpec {
  const clean = sentence.trim().replace(/\s+/g, ' ');
  if (clean.length < 3) throw unusable(clean, 'is too short to describe a plugin');
  const lower = questionAsRequest(clean.toLowerCase().replace(/[“”]/g, '"').replace(/[’]/g, "'"));
  const settings = settingsOf(lower);
  const monitor = /\b(monitor\w*|watch\w*|poll\w*|every\s+(?:\d+\s+)?(?:seconds?|minutes?|hours?)|periodically|regularly)\b/.test(lower);
  const text = withoutSettingClauses(body(lower), settings);
  const tokens = tokensOf(text);
  let requests = requestsOf(tokens);
  const firstNoun = tokens.find((t) => t.tags.has('Noun') && !NOT_A_THING.has(t.word) && !t.tags.has('Pronoun'));
  if (requests.length === 0 && firstNoun && /s$/.test(firstNoun.word) && tokens.length <= 4 && !tokens.some((t) => t.tags.has('Verb'))) {
    requests = [{ intent: 'keep', object: [firstNoun.word], forWhat: undefined }];
  }

  const actions: ActionOut[] = [];
  const services: { name: string; description: string; methods: string[] }[] = [];
  const providers: { name: string; description: string }[] = [];
  const env: { name: string; description: string; required: boolean; sensitive: boolean }[] = [];
  let subject = '';

  const main = requests.find((r) => !['keep'].includes(r.intent)) ?? requests[0];
  const objectOf = (r: Request | undefined): string => phrase(r?.object ?? []);
  const lastObject = [...requests].reverse().find((r) => objectOf(r) !== '' && !/^(them|it)$/.test(objectOf(r)));

  const tools = textActions(text);
  if (tools.length) {
    actions.push(...tools);
    subject = tools[0]?.name === 'slugifyText' ? 'slug' : (tools[0]?.name.replace(/Text$/, '') ?? 'text');
  } else if (main && (main.intent === 'monitor' || (monitor && main.intent === 'check'))) {
    const thing = singular(words(objectOf(main)).at(-1) ?? 'site');
    subject = `${thing} monitor`;
    actions.push(action(`check ${thing}`, `Check the ${thing} now`));
    services.push({ name: `${thing} monitor`, description: `Checks the ${thing} on a schedule and keeps its last status`, methods: ['check', 'status'] });
    if (!settings.url && !settings.api) env.push({ name: `${thing.toUpperCase()}_URL`, description: `Address of the ${thing} to check`, required: true, sensitive: false });
  } else if (requests.some((r) => r.intent === 'remind' || r.intent === 'timer' || r.object.some((w) => SCHEDULE_NOUNS.has(singular(w))))) {
    const said = (n: string): boolean => requests.some((r) => r.object.some((w) => singular(w) === n));
    const noun = requests.some((r) => r.intent === 'timer') || said('timer') ? 'timer' : said('alarm') ? 'alarm' : 'reminder';
    actions.push(...scheduleActions(requests.map((r) => r.intent), noun));
    subject = `${noun}s`;
  } else if (requests.some((r) => r.intent === 'convert')) {
    const converters = conversionActions(text);
    actions.push(...converters);
    const dimension = converters.length === 1 ? words(converters[0]?.name ?? '').slice(1).join(' ') : 'units';
    subject = `${dimension === 'units' ? 'unit' : dimension} converter`;
  } else if (requests.some((r) => r.intent === 'roll' || r.intent === 'flip' || r.intent === 'pick')) {
    for (const r of requests) {
      if (r.intent === 'roll') actions.push(action('roll dice', 'Roll dice such as 2d6'));
      if (r.intent === 'flip') actions.push(action('flip coin', 'Flip a coin'));
      if (r.intent === 'pick') actions.push(action('pick one', 'Pick one of several choices at random', { choices: 'array' }));
    }
    subject = actions.some((a) => a.name === 'rollDice') ? 'dice' : actions.some((a) => a.name === 'flipCoin') ? 'coin' : 'random picker';
  } else if (main && (main.intent === 'get' || main.intent === 'list') && main.object.some((w) => TIME_NOUNS.has(singular(w)))) {
    actions.push(action('get time', 'Tell the current date and time in a city or time zone', { place: 'string?' }));
    providers.push({ name: 'current time', description: 'The current date and time' });
    subject = 'time';
  } else if (requests.some((r) => RECORD_INTENTS.has(r.intent)) && !settings.api && !requests.some((r) => ['get', 'translate', 'send', 'summarize', 'calculate', 'count', 'answer'].includes(r.intent))) {
    // The store is named after what is added to it ("log a glass" -> glasses), else the last thing named.
    const added = requests.find((r) => r.intent === 'add' && objectOf(r) !== '' && !/^(them|it)$/.test(objectOf(r)));
    const said = objectOf(added) || objectOf(lastObject) || objectOf(main) || 'item';
    const w = words(said);
    const listOf = tokens.findIndex((t, i) => t.word === 'of' && /^lists?$/.test(tokens[i - 1]?.word ?? ''));
    const listed = listOf >= 0 ? objectAfter(tokens, listOf - 1 + 1).object.filter((x) => !NOT_A_THING.has(x)) : [];
    const item = listed.length
      ? singular(listed.at(-1) ?? 'item')
      : w.at(-1) === 'list' || w.at(-1) === 'lists' ? (w.length > 1 && ['todo', 'task'].includes(w[0] ?? '') ? (w[0] ?? 'item') : 'item') : singular(w.at(-1) ?? 'item');
    const objectOfKeep = objectOf(requests.find((r) => r.intent === 'keep'));
    subject = objectOfKeep || plural(item);
    actions.push(...recordActions(requests.filter((r) => RECORD_INTENTS.has(r.intent)).map((r) => r.intent), item));
    providers.push({ name: `saved ${plural(item)}`, description: `The ${plural(item)} kept for this conversation` });
  } else if (main) {
    const said = objectOf(main) || objectOf(lastObject) || 'text';
    const verb = { get: 'get', check: 'check', translate: 'translate', summarize: 'summarize', calculate: 'calculate', send: 'send', count: 'count', answer: 'answer', find: 'find', list: 'get' }[main.intent as string] ?? main.intent;
    const target = (verb === 'get' && /\bcurrent\b/.test(text) ? 'current ' : '') + (verb === 'count' || verb === 'find' || verb === 'get' ? said : singular(said));
    const parameters: Record<string, string> =
      verb === 'translate' ? { text: 'string', language: 'string' }
      : verb === 'find' ? { query: 'string' }
      : verb === 'send' ? { message: 'string' }
      : verb === 'get' ? (main.forWhat ? { [camelCase(main.forWhat)]: 'string' } : {})
      : { text: 'string' };
    actions.push(action(`${verb} ${target}`, `${verb.charAt(0).toUpperCase()}${verb.slice(1)} ${target}`, parameters));
    if (verb === 'get' || verb === 'find') providers.push({ name: `latest ${singular(words(said).at(-1) ?? 'result')}`, description: `The latest ${said} the plugin fetched` });
    subject = said;
  } else {
    throw unusable(clean, 'does not say what the plugin should do');
  }

  const apiName = settings.api ?? (settings.key ? words(subject).join(' ') : undefined);
  if (settings.api || (settings.key && actions.length)) {
    const base = words(apiName ?? subject).join('_').toUpperCase();
    if (!env.some((e) => e.name.endsWith('_URL'))) env.push({ name: `${base}_API_URL`, description: `Base address of the ${apiName ?? subject} API`, required: true, sensitive: false });
    if (settings.key) env.push({ name: `${base}_API_KEY`, description: `API key for the ${apiName ?? subject} API`, required: true, sensitive: true });
  } else if (settings.url && !env.length) {
    const base = settings.url === 'service' ? `${words(subject).join('_').toUpperCase()}_API` : settings.url.toUpperCase();
    env.push({ name: `${base}_URL`, description: `Address of the ${settings.url}`, required: true, sensitive: false });
  }

  const nameWords = words(subject || 'helper');
  if (nameWords.length > 1) nameWords[nameWords.length - 1] = singular(nameWords[nameWords.length - 1] ?? '');
  const name = `plugin-${nameWords.join('-')}`.slice(0, 60).replace(/-+$/, '');
  return parsePluginSpec({
    name,
    description: clean.slice(0, 500),
    version: '0.1.0',
    actions: [...new Map(actions.map((a) => [a.name, { ...a, name: a.name.slice(0, 64) }])).values()],
    providers: providers.map((p) => ({ name: camelCase(p.name), description: p.description })),
    services: services.map((s) => ({ name: pascalCase(s.name), description: s.description, methods: s.methods })),
    environmentVariables: env,
    ...(settings.hosts.length ? { permissions: { network: settings.hosts } } : {}),
  });
}
