/** The words the offline sentence reader knows the meaning of (compromise does the grammar). */

/** What a verb asks the plugin to do, in canonical form. */
export type Intent =
  | 'add' | 'remove' | 'list' | 'find' | 'update' | 'clear' | 'keep' | 'mark' | 'complete' | 'rate' | 'rename'
  | 'remind' | 'timer' | 'convert' | 'roll' | 'flip' | 'pick' | 'time'
  | 'get' | 'check' | 'monitor' | 'translate' | 'summarize' | 'calculate' | 'send' | 'count'
  | 'slugify' | 'uppercase' | 'lowercase' | 'answer';

export const VERB_INTENTS: Record<string, Intent> = {
  add: 'add', save: 'add', store: 'add', record: 'add', remember: 'add', create: 'add', log: 'add', insert: 'add', write: 'add', note: 'add', jot: 'add',
  remove: 'remove', delete: 'remove', forget: 'remove', drop: 'remove', erase: 'remove',
  mark: 'mark', tick: 'mark', complete: 'complete', finish: 'complete', rate: 'rate', score: 'rate', rename: 'rename',
  list: 'list', show: 'list', see: 'list', view: 'list', display: 'list',
  find: 'find', search: 'find', query: 'find',
  update: 'update', edit: 'update', change: 'update', modify: 'update',
  clear: 'clear', wipe: 'clear', reset: 'clear', empty: 'clear',
  keep: 'keep', manage: 'keep', track: 'keep', organize: 'keep', organise: 'keep', maintain: 'keep',
  remind: 'remind', schedule: 'remind', reminder: 'remind', set: 'add', cancel: 'remove',
  timer: 'timer',
  convert: 'convert', converter: 'convert', conversion: 'convert',
  roll: 'roll', roller: 'roll', dice: 'roll',
  flip: 'flip', toss: 'flip',
  pick: 'pick', choose: 'pick', decide: 'pick',
  get: 'get', tell: 'get', fetch: 'get', retrieve: 'get', lookup: 'get', read: 'get', give: 'get', report: 'get',
  check: 'check',
  monitor: 'monitor', watch: 'monitor', poll: 'monitor', ping: 'monitor',
  translate: 'translate', translator: 'translate',
  summarize: 'summarize', summarise: 'summarize', summarizer: 'summarize',
  calculate: 'calculate', compute: 'calculate', calculator: 'calculate',
  send: 'send', post: 'send', notify: 'send',
  count: 'count', counter: 'count',
  slugify: 'slugify', answer: 'answer',
};

/** Verbs that frame a request rather than say what the plugin does. */
export const FRAMING = new Set(['need', 'want', 'like', 'use', 'using', 'let', 'help', 'make', 'build', 'be', 'have', 'can', 'do', 'go', 'give', 'allow', 'turn', 'look', 'bring', 'find']);

/** Units by dimension, so "convert celsius to fahrenheit" becomes convertTemperature. */
export const UNIT_DIMENSIONS: [RegExp, string][] = [
  [/\b(celsius|fahrenheit|kelvin|temperatures?|degrees?)\b/, 'temperature'],
  [/\b(kilomet\w+|miles?|meters?|metres?|feet|foot|inch\w*|yards?|lengths?|distances?)\b/, 'length'],
  [/\b(kilograms?|kilos?|grams?|pounds?|ounces?|weights?|mass)\b/, 'mass'],
  [/\b(liters?|litres?|gallons?|cups?|pints?|volumes?)\b/, 'volume'],
  [/\b(bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?|file sizes?|data sizes?)\b/, 'data size'],
  [/\b(currenc\w+|exchange|dollars?|euros?|money)\b/, 'currency'],
  [/\b(seconds|minutes|hours|durations?)\b/, 'time'],
];

/** API hosts of services people name in a sentence. */
export const KNOWN_HOSTS: Record<string, string> = {
  github: 'api.github.com',
  openweathermap: 'api.openweathermap.org',
  openweather: 'api.openweathermap.org',
  deepl: 'api.deepl.com',
  tmdb: 'api.themoviedb.org',
  themoviedb: 'api.themoviedb.org',
  coingecko: 'api.coingecko.com',
  slack: 'hooks.slack.com',
  discord: 'discord.com',
  reddit: 'www.reddit.com',
  wikipedia: 'en.wikipedia.org',
  spotify: 'api.spotify.com',
  notion: 'api.notion.com',
  openai: 'api.openai.com',
  twitter: 'api.twitter.com',
  nasa: 'api.nasa.gov',
};

/** Words that describe a thing but never name it. */
export const NOT_A_THING = new Set([
  'a', 'an', 'the', 'my', 'our', 'your', 'their', 'his', 'her', 'its', 'some', 'any', 'all', 'each', 'every', 'this', 'that', 'these', 'those',
  'current', 'latest', 'new', 'given', 'different', 'random', 'long', 'short', 'saved', 'upcoming', 'existing', 'certain', 'various', 'many',
  'me', 'them', 'it', 'us', 'you', 'him', 'things', 'thing', 'stuff', 'ones', 'one', 'plugin', 'plugins', 'people', "people's", 'user', 'users',
  'functionality', 'feature', 'features', 'support', 'ability', 'way', 'what', 'which', 'left', 'remaining', 'rest',
  'i', 'we', 'today', "today's", 'tomorrow', 'yesterday', 'daily', 'total', 'totals', 'sum', 'summary',
]);
