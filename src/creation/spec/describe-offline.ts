import { PluginDynamicError } from '../../errors.js';
import { camelCase, words } from './identifiers.js';
import type { PluginSpec } from './plugin-spec.js';
import { parsePluginSpec } from './spec-schema.js';

/** Verbs a request can ask for, in their base form, with what each takes. */
const VERBS: Record<string, { as: string; params: Record<string, string> }> = {
  add: { as: 'add', params: { text: 'string' } },
  create: { as: 'create', params: { text: 'string' } },
  remove: { as: 'remove', params: { id: 'string' } },
  delete: { as: 'delete', params: { id: 'string' } },
  complete: { as: 'complete', params: { id: 'string' } },
  update: { as: 'update', params: { id: 'string', text: 'string' } },
  edit: { as: 'update', params: { id: 'string', text: 'string' } },
  list: { as: 'list', params: {} },
  show: { as: 'get', params: {} },
  tell: { as: 'get', params: {} },
  get: { as: 'get', params: {} },
  fetch: { as: 'get', params: {} },
  check: { as: 'check', params: {} },
  search: { as: 'search', params: { query: 'string' } },
  find: { as: 'search', params: { query: 'string' } },
  send: { as: 'send', params: { to: 'string', message: 'string' } },
  convert: { as: 'convert', params: { amount: 'number', fromUnit: 'string', toUnit: 'string' } },
  translate: { as: 'translate', params: { text: 'string', to: 'string' } },
  calculate: { as: 'calculate', params: { expression: 'string' } },
  summarize: { as: 'summarize', params: { text: 'string' } },
  track: { as: 'track', params: { item: 'string' } },
  schedule: { as: 'schedule', params: { what: 'string', when: 'string' } },
  cancel: { as: 'cancel', params: { id: 'string' } },
  post: { as: 'post', params: { text: 'string' } },
  play: { as: 'play', params: { item: 'string' } },
  count: { as: 'count', params: {} },
  manage: { as: 'manage', params: {} },
};
/** Verbs that ask for information: such a plugin also gets a provider. */
const INFORMATION = new Set(['get', 'check', 'list', 'search']);
const SKIP = new Set(['the', 'a', 'an', 'some', 'my', 'your', 'their', 'our', 'between', 'current', 'latest', 'all', 'any', 'of', 'new', 'existing']);
const STOP = new Set(['for', 'with', 'using', 'that', 'which', 'by', 'from', 'in', 'to', 'and', 'or', 'via', 'on', 'into', 'functionality', 'features', 'feature', 'actions', 'support', 'when', 'where']);

function baseVerb(word: string): string | undefined {
  const candidates = [word, word.replace(/ies$/, 'y'), word.replace(/es$/, ''), word.replace(/s$/, ''), word.replace(/ing$/, ''), word.replace(/ing$/, 'e')];
  return candidates.find((c) => c in VERBS);
}

function singular(word: string): string {
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(ch|sh|x|ss)es$/.test(word)) return word.replace(/es$/, '');
  if (/[^s]s$/.test(word)) return word.replace(/s$/, '');
  return word;
}

function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return word.replace(/y$/, 'ies');
  if (/(ch|sh|x|s)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** The words after a verb that name what it acts on, up to the next preposition or clause. */
function objectAfter(tokens: string[], index: number): string[] {
  const out: string[] = [];
  for (let i = index + 1; i < tokens.length && out.length < 3; i++) {
    const t = tokens[i] ?? '';
    if (STOP.has(t)) break;
    if (SKIP.has(t) && out.length === 0) continue;
    out.push(t);
  }
  return out;
}

/**
 * A specification from a sentence, without a model: the plugin is named after what it acts on, one
 * action per verb asked for ("add, remove, and list"), a provider when it asks for information,
 * and settings for an API key or URL it says it needs. Deterministic: same sentence, same result.
 */
export function describeToSpec(sentence: string): PluginSpec {
  const clean = sentence.trim().replace(/\s+/g, ' ');
  const tokens = clean.toLowerCase().replace(/[^a-z0-9\s-]/g, ' ').split(/\s+/).filter(Boolean);
  const start = Math.max(0, tokens.findIndex((t, i) => t === 'plugin' && ['that', 'which', 'to', 'for'].includes(tokens[i + 1] ?? '')) + 2);
  const body = tokens.slice(start);
  const verbAt = body.findIndex((t) => baseVerb(t) !== undefined && !['helps', 'help', 'lets', 'let'].includes(t));
  if (verbAt < 0) {
    throw new PluginDynamicError(
      'DESCRIPTION_UNUSABLE',
      `"${clean.slice(0, 80)}" does not say what the plugin should do. Use a verb and a thing, e.g. "a plugin that tells the weather for a city".`,
    );
  }
  const mainVerb = VERBS[baseVerb(body[verbAt] ?? '') ?? 'get'] ?? { as: 'get', params: {} };
  const objectWords = objectAfter(body, verbAt);
  const object = objectWords.map(singular);
  if (object.length === 0) {
    throw new PluginDynamicError('DESCRIPTION_UNUSABLE', `"${clean.slice(0, 80)}" does not say what the plugin acts on.`);
  }
  // "manage todo lists" acts on todos; the item is the first word of the subject.
  const subject = object.join(' ');
  const item = mainVerb.as === 'manage' && object.length > 1 ? object[0] ?? subject : subject;

  // "with add, remove, and list functionality" / "to add, remove and list ..."
  const objectEnd = body.indexOf(objectWords[objectWords.length - 1] ?? '', verbAt + 1) + 1;
  const listed = body
    .slice(Math.max(verbAt + 1, objectEnd))
    .map((t) => baseVerb(t))
    .filter((v): v is string => v !== undefined && v !== 'manage');
  const verbs = listed.length >= 2 || mainVerb.as === 'manage' ? [...new Set(listed.map((v) => VERBS[v]?.as ?? v))] : [mainVerb.as];
  if (verbs.length === 0) verbs.push('get');

  const forWhat = /\b(?:for|in|of) (?:a|an|the|any|each)? ?([a-z]+)\b/.exec(body.slice(verbAt).join(' '))?.[1];
  const itemWords = words(item);
  const actions = verbs.map((verb) => {
    const params: Record<string, string> = { ...(VERBS[verb]?.params ?? {}) };
    if (verb === 'convert') {
      const unit = item.charAt(0).toUpperCase() + camelCase(item).slice(1);
      delete params['fromUnit'];
      delete params['toUnit'];
      params[`from${unit}`] = 'string';
      params[`to${unit}`] = 'string';
    }
    if (verb === 'get' && forWhat && !itemWords.includes(forWhat) && !STOP.has(forWhat)) params[forWhat] = 'string';
    const target = verb === 'list' ? plural(item) : item;
    const name = camelCase(`${verb} ${verb === 'get' && object.length === 1 && /\bcurrent\b/.test(clean.toLowerCase()) ? 'current ' : ''}${target}`);
    return { name, description: `${verb.charAt(0).toUpperCase()}${verb.slice(1)} ${target}`.slice(0, 500), parameters: params };
  });

  const asksForInformation = verbs.some((v) => INFORMATION.has(v)) && !(listed.length >= 2);
  const providers = asksForInformation || /\b(information|status|latest|current)\b/.test(clean.toLowerCase())
    ? [{ name: camelCase(`${item} info`), description: `Current ${item} information for the agent's context` }]
    : [];

  const settingBase = words(subject).join('_').toUpperCase();
  const environmentVariables = [];
  if (/\bapi[ -]?key\b|\btoken\b|\bcredential/.test(clean.toLowerCase())) {
    environmentVariables.push({ name: `${settingBase}_API_KEY`, description: `API key for the ${subject} service`, required: true, sensitive: true });
  }
  if (/\burl\b|\bendpoint\b/.test(clean.toLowerCase())) {
    environmentVariables.push({ name: `${settingBase}_API_URL`, description: `Address of the ${subject} service`, required: true, sensitive: false });
  }

  return parsePluginSpec({
    name: `plugin-${words(subject).join('-')}`,
    description: clean.slice(0, 500),
    version: '0.1.0',
    actions,
    providers,
    environmentVariables,
  });
}
