import fc from 'fast-check';
import { componentIdentifier, words } from '../../src/creation/spec/identifiers.js';
import { safeParsePluginSpec } from '../../src/creation/spec/index.js';
import type { PluginSpec } from '../../src/creation/spec/plugin-spec.js';

/*
 * Valid plugin specifications of every shape the schema accepts: every component kind, names in
 * every casing (reserved words too), parameters of every type, required and optional, settings
 * sensitive or not, services with methods, evaluators with triggers, network hosts. Words come from
 * the recipes' vocabulary and from outside it, so both working recipes and scaffolds are drawn.
 */

const VERBS = ['add', 'remove', 'list', 'find', 'update', 'clear', 'mark', 'complete', 'rate', 'rename', 'get', 'set', 'cancel', 'convert', 'roll', 'flip', 'pick', 'check', 'send', 'translate', 'slugify', 'count', 'fetch', 'delete', 'new', 'show', 'track', 'log', 'remind', 'calculate', 'do'];
const NOUNS = ['note', 'todo', 'book', 'reminder', 'timer', 'temperature', 'length', 'units', 'time', 'dice', 'coin', 'text', 'weather', 'issue', 'glass', 'class', 'default', 'item', 'status', 'data', 'words', 'price', 'website', 'thing', 'entries', 'tasks', 'zone'];
const RESERVED = ['delete', 'new', 'class', 'default', 'function', 'return', 'type', 'string', 'number', 'object', 'get', 'set', 'async', 'constructor'];
const DESCRIPTIONS = [
  'Keeps a list of things for the user',
  'Remind the user at a time',
  'Convert between units of length, mass and temperature',
  'Tell the current time in a time zone',
  'Roll dice, flip a coin or pick one',
  'Turn text into a slug',
  'Count the words in a text',
  'Calls the API and returns its answer',
  'Checks the website every 5 minutes',
  'Lists the supported units',
  'Something no recipe knows about',
  'Quotes "inside", a backtick ` and ${template}, a */ comment end and a \\ backslash',
  'Ünïcödé — émoji 🎲 and 日本語',
  "It's got an apostrophe; and </script> too",
];
const PARAMETER_NAMES = ['toString', 'valueOf', 'hasOwnProperty', 'id', 'text', 'query', 'when', 'amount', 'from', 'to', 'value', 'unit', 'place', 'city', 'choices', 'options', 'count', 'done', 'rating', 'userId', 'due_at', 'Title', 'NAME', 'type', 'number', 'string', 'of', 'as', 'get', 'x', '_private'];
const TYPES = ['string', 'number', 'boolean', 'object', 'array', 'text', 'integer', 'bool', 'json', 'list', 'string[]'];
const SETTINGS = ['API_KEY', 'SERVICE_API_URL', 'GITHUB_API_URL', 'GITHUB_TOKEN', 'TIMEZONE', 'EXCHANGE_RATES_URL', 'WEBSITE_URL', 'DATABASE_URL', 'WEATHER_API_KEY', 'MAX_ITEMS', 'MODE', 'X1'];
const HOSTS = ['api.github.com', 'api.example.com', 'example.org', 'api.openweathermap.org', 'hooks.slack.com'];
const METHODS = ['serviceType', 'check', 'status', 'schedule', 'add', 'list', 'clear', 'refresh', 'fetchData', 'doWork', 'lastResult', 'convert', 'count', 'remove', 'find'];
const TRIGGERS = ['thanks', 'Remind me', 'price?', 'a "quoted" word', 'back`tick', '${x}', 'ünï', 'stop'];

type Style = (ws: string[]) => string;
const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const STYLES: Style[] = [
  (ws) => ws[0] + ws.slice(1).map(cap).join(''),
  (ws) => ws.map(cap).join(''),
  (ws) => ws.join('_'),
  (ws) => ws.join('-'),
  (ws) => ws.join(' '),
  (ws) => ws.join('_').toUpperCase(),
  (ws) => ws.map(cap).join(' '),
];

const nameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...VERBS), fc.constantFrom(...NOUNS), fc.option(fc.constantFrom(...NOUNS), { nil: undefined }), fc.constantFrom(...STYLES)).map(([v, n, m, style]) => style(m ? [v, m, n] : [v, n])) },
  { weight: 1, arbitrary: fc.constantFrom(...RESERVED) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NOUNS), fc.integer({ min: 1, max: 99 })).map(([n, i]) => `${n}${i}`) },
);

const parameterArb = fc.record({
  name: fc.constantFrom(...PARAMETER_NAMES),
  type: fc.constantFrom(...TYPES),
  required: fc.option(fc.boolean(), { nil: undefined }),
  description: fc.option(fc.constantFrom(...DESCRIPTIONS), { nil: undefined }),
});

const actionArb = fc.record({
  name: nameArb,
  description: fc.constantFrom(...DESCRIPTIONS),
  parameters: fc.uniqueArray(parameterArb, { maxLength: 4, selector: (p) => p.name }).map((ps) => ps.map(({ name, type, required, description }) => ({ name, type, ...(required === undefined ? {} : { required }), ...(description ? { description } : {}) }))),
});
const providerArb = fc.record({ name: nameArb, description: fc.constantFrom(...DESCRIPTIONS) });
const serviceArb = fc.record({ name: nameArb, description: fc.constantFrom(...DESCRIPTIONS), methods: fc.uniqueArray(fc.constantFrom(...METHODS), { maxLength: 4 }) });
const evaluatorArb = fc.record({ name: nameArb, description: fc.constantFrom(...DESCRIPTIONS), triggers: fc.uniqueArray(fc.constantFrom(...TRIGGERS), { maxLength: 3 }) });
const settingArb = fc.record({ name: fc.constantFrom(...SETTINGS), required: fc.boolean(), sensitive: fc.option(fc.boolean(), { nil: undefined }), description: fc.constantFrom(...DESCRIPTIONS) });

/** Keeps the first component of each identifier, across all kinds, as the schema requires. */
function distinct<T extends { name: string }>(taken: Set<string>, kind: 'action' | 'provider' | 'service' | 'evaluator', list: T[]): T[] {
  return list.filter((c) => {
    if (words(c.name).length === 0) return false;
    const id = componentIdentifier(c.name, kind).toLowerCase();
    if (taken.has(id)) return false;
    taken.add(id);
    return true;
  });
}

/** Raw specification input (what a user sends), always valid. */
export const specInputArb = fc
  .record({
    name: fc.tuple(fc.constantFrom('plugin', '@scope/plugin', 'my-plugin'), fc.constantFrom(...NOUNS)).map(([p, n]) => `${p}-${n}`),
    description: fc.constantFrom(...DESCRIPTIONS),
    actions: fc.array(actionArb, { maxLength: 4 }),
    providers: fc.array(providerArb, { maxLength: 2 }),
    services: fc.array(serviceArb, { maxLength: 2 }),
    evaluators: fc.array(evaluatorArb, { maxLength: 2 }),
    environmentVariables: fc.uniqueArray(settingArb, { maxLength: 3, selector: (s) => s.name }),
    network: fc.uniqueArray(fc.constantFrom(...HOSTS), { maxLength: 2 }),
    // The other grants of the permission vocabulary, each left out (the least) or drawn.
    grants: fc.record(
      {
        modelCallsPerHour: fc.integer({ min: 0, max: 500 }),
        storageMb: fc.integer({ min: 0, max: 64 }),
        postToRooms: fc.boolean(),
        taskWorkers: fc.uniqueArray(fc.constantFrom('REMINDER_FIRE', 'DIGEST_POST'), { maxLength: 2 }),
        events: fc.uniqueArray(fc.constantFrom('NOTES_CHANGED', 'ITEM_ADDED'), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  })
  .map((s) => {
    const taken = new Set<string>();
    const { network, grants, ...rest } = s;
    const permissions = { ...(network.length ? { network } : {}), ...grants };
    return {
      ...rest,
      actions: distinct(taken, 'action', s.actions),
      providers: distinct(taken, 'provider', s.providers),
      services: distinct(taken, 'service', s.services),
      evaluators: distinct(taken, 'evaluator', s.evaluators),
      environmentVariables: s.environmentVariables.map(({ sensitive, ...v }) => ({ ...v, ...(sensitive === undefined ? {} : { sensitive }) })),
      ...(Object.keys(permissions).length ? { permissions } : {}),
    };
  })
  .filter((input) => input.actions.length + input.providers.length + input.services.length + input.evaluators.length > 0);

/** Normalised specifications; an input the schema refuses is a defect of this arbitrary (it throws). */
export const specArb: fc.Arbitrary<PluginSpec> = specInputArb.map((input) => {
  const parsed = safeParsePluginSpec(input);
  if (!parsed.success) throw new Error(`the arbitrary drew an invalid specification: ${JSON.stringify(parsed.issues)}`);
  return parsed.spec;
});
