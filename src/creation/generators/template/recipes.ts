import { singular } from '../../spec/english.js';
import { words } from '../../spec/identifiers.js';
import type { ActionSpec, PluginSpec, ProviderSpec, ServiceSpec } from '../../spec/plugin-spec.js';
import { methodPlans } from './service-methods.js';
import { wellKnownApiUrl } from './well-known-apis.js';

/*
 * Which working recipe fits each component, chosen from its name, description, parameters and
 * the specification's settings, with no model. A component no recipe fits is an honest scaffold.
 */

export type { RecipeName, RecordOp, ScheduleOp, MarkField, TextOp, ActionPlan, MethodPlan, ServicePlan, ProviderPlan, ComponentReport, PluginPlan } from './plan-types.js';
import type { RecordOp, ScheduleOp, MarkField, TextOp, ActionPlan, ServicePlan, ProviderPlan, ComponentReport, PluginPlan } from './plan-types.js';

const RECORD_VERBS: Record<string, RecordOp> = {
  add: 'add', create: 'add', save: 'add', store: 'add', remember: 'add', record: 'add', insert: 'add', new: 'add', track: 'add', log: 'add', put: 'add', note: 'add', write: 'add',
  remove: 'remove', delete: 'remove', forget: 'remove', drop: 'remove', erase: 'remove',
  complete: 'mark', finish: 'mark', done: 'mark', mark: 'mark', tick: 'mark', rate: 'mark', score: 'mark', star: 'mark',
  list: 'list', show: 'list', all: 'list', view: 'list', get: 'list', read: 'list',
  find: 'find', search: 'find', lookup: 'find', query: 'find', filter: 'find',
  update: 'update', edit: 'update', change: 'update', rename: 'update', modify: 'update',
  clear: 'clear', reset: 'clear', wipe: 'clear', empty: 'clear', purge: 'clear',
};
const MARK_FIELDS: Record<string, MarkField> = { complete: 'done', finish: 'done', done: 'done', tick: 'done', rate: 'rating', score: 'rating', star: 'rating', mark: 'status' };
const FILLER = new Set(['all', 'my', 'the', 'a', 'an', 'from', 'to', 'list', 'by', 'id', 'one', 'new', 'current']);
const TEXT_OPS: [RegExp, TextOp][] = [
  [/\bslug/, 'slugify'],
  [/\bupper ?case|\bcapitali[sz]e all|\bshout/, 'uppercase'],
  [/\blower ?case/, 'lowercase'],
  [/\btitle ?case/, 'titlecase'],
  [/\breverse/, 'reverse'],
  [/\bword ?count|\bcount (?:the )?words/, 'wordcount'],
  [/\btrim|\bcollapse (?:white)?space/, 'trim'],
];
/** Libraries a text recipe imports when the specification declares them (default export: (text) => string). */
const TEXT_LIBRARIES: Partial<Record<TextOp, string[]>> = { slugify: ['slugify', '@sindresorhus/slugify'] };

export const singularNoun = singular;

const textOf = (name: string, description: string, extra: string[] = []): string =>
  [...words(name), description.toLowerCase(), ...extra.map((e) => e.toLowerCase())].join(' ');

/** Connection strings of databases and queues are addresses, but not of an HTTP API. */
const NOT_HTTP = /(^|_)(DATABASE|POSTGRES|POSTGRESQL|PG|MYSQL|SQL|SQLITE|REDIS|MONGO|MONGODB|DB|AMQP|KAFKA|SMTP)(_|$)/;

function urlSetting(spec: PluginSpec, pattern = /(URL|ENDPOINT|BASE|HOST|ADDRESS)$/): string | undefined {
  return spec.environmentVariables.find((v) => pattern.test(v.name) && !NOT_HTTP.test(v.name))?.name;
}

function recordOf(action: ActionSpec): { op: RecordOp; noun: string | undefined } | undefined {
  const [verb = '', ...rest] = words(action.name);
  const op = RECORD_VERBS[verb];
  if (!op) return undefined;
  const nounWords = rest.filter((w) => !FILLER.has(w));
  const noun = nounWords.length ? singularNoun(nounWords[nounWords.length - 1] ?? '') : undefined;
  return { op, noun };
}

function scopeOf(spec: PluginSpec, action: ActionSpec): 'user' | 'room' {
  return /\b(my|mine|personal|private|per user|each user|every user|user's|own)\b/i.test(`${spec.description} ${action.description}`) ? 'user' : 'room';
}

function planAction(action: ActionSpec, spec: PluginSpec, collections: Set<string>): ActionPlan {
  const text = textOf(action.name, action.description, action.parameters.map((p) => p.name));
  const verb = words(action.name)[0] ?? '';
  if (/\b(remind\w*|timers?|alarms?)\b/.test(text) || (/\bschedul/.test(text) && !/\bschedules? (of|for) /.test(text))) {
    const all = /^(clear|purge|wipe|reset|empty)$/.test(verb) || (/^(cancel|remove|delete|stop|forget|drop)$/.test(verb) && /\ball\b/.test(text));
    const op: ScheduleOp = all ? 'clear' : /^(cancel|remove|delete|stop|forget|drop)$/.test(verb) ? 'cancel' : /^(list|show|get|view|upcoming|all)$/.test(verb) ? 'list' : 'add';
    return { recipe: 'schedule', op };
  }
  if (/\b(roll|dice|die|coin|flip|toss|random\w*|pick|choose|decide)\b/.test(text)) return { recipe: 'random' };
  const currency = /\b(currency|currencies|exchange|forex|usd|eur|gbp|money)\b/.test(text);
  if (/\b(convert\w*|conversion|celsius|fahrenheit|kelvin|temperatures?|units?|metric|imperial|kilometers?|miles?|kilograms?|pounds?|liters?|litres?|gallons?|bytes?|megabytes?)\b/.test(text) || currency) {
    const ratesSetting = urlSetting(spec, /(RATE|RATES|EXCHANGE|CURRENCY|FX)\w*(URL|ENDPOINT|API)?$/);
    if (currency && !/\b(celsius|fahrenheit|temperature|length|mass|weight|volume|units?)\b/.test(text) && !ratesSetting) {
      return { recipe: 'scaffold', reason: 'currency needs today\'s rates: add a setting such as EXCHANGE_RATES_URL (a JSON { rates } address) to the specification' };
    }
    return { recipe: 'conversion', ratesSetting, currency };
  }
  for (const [pattern, op] of TEXT_OPS) {
    if (pattern.test(text)) {
      const library = (TEXT_LIBRARIES[op] ?? []).find((name) => name in spec.dependencies);
      return { recipe: 'text', op, library };
    }
  }
  if (/\b(time|date|clock|timezones?|zone|weekday|today)\b/.test(text) && !/\b(update|record|save)\b/.test(verb)) return { recipe: 'time' };
  const base = urlSetting(spec);
  if (base) {
    return { recipe: 'http', baseUrlSetting: base, keySetting: spec.environmentVariables.find((v) => /(KEY|TOKEN|SECRET)$/.test(v.name))?.name, defaultBaseUrl: spec.environmentVariables.find((v) => v.name === base)?.required ? undefined : wellKnownApiUrl(spec, base) };
  }
  const record = recordOf(action);
  if (record) {
    const noun = record.noun ? (collections.has(record.noun) ? record.noun : undefined) : collections.size === 1 ? [...collections][0] : undefined;
    if (noun && (record.op === 'add' ? action.parameters.some((p) => p.type === 'string') : true)) {
      const field = record.op === 'mark' ? (MARK_FIELDS[words(action.name)[0] ?? ''] ?? 'status') : undefined;
      return { recipe: 'records', op: record.op, noun, scope: scopeOf(spec, action), ...(field ? { field } : {}) };
    }
  }
  return { recipe: 'scaffold', reason: 'no recipe fits its name and description' };
}

function planProvider(p: ProviderSpec, spec: PluginSpec, actions: Map<string, ActionPlan>): ProviderPlan {
  const text = textOf(p.name, p.description);
  const plans = [...actions.values()];
  const records = plans.filter((a): a is Extract<ActionPlan, { recipe: 'records' }> => a.recipe === 'records');
  const nouns = [...new Set(records.map((r) => r.noun))];
  const named = nouns.find((n) => new RegExp(`\\b${n}s?\\b`).test(text));
  const firstRecord = records[0];
  if (named || (nouns.length === 1 && firstRecord && /\b(list|items?|open|summary|count|stored|saved)\b/.test(text))) {
    return { recipe: 'records', noun: named ?? firstRecord?.noun ?? 'item', scope: records.find((r) => r.noun === (named ?? firstRecord?.noun))?.scope ?? 'room' };
  }
  if (plans.some((a) => a.recipe === 'schedule') && /\b(remind\w*|timers?|schedul\w*|upcoming)\b/.test(text)) return { recipe: 'schedule' };
  if (plans.some((a) => a.recipe === 'conversion') && /\b(units?|conver\w*|supported|measures?)\b/.test(text)) return { recipe: 'conversion' };
  if (/\b(time|date|clock|today|timezones?)\b/.test(text)) return { recipe: 'time' };
  if (plans.some((a) => a.recipe === 'http') && /\b(api|response|latest|last|result|data)\b/.test(text)) return { recipe: 'http' };
  void spec;
  return { recipe: 'scaffold', reason: 'no recipe fits; it gives the agent no context yet' };
}

const DETAIL: Record<string, string> = {
  records: 'records kept in the agent database',
  schedule: 'reminders as ElizaOS tasks',
  conversion: 'unit conversion',
  actions: 'its methods call the actions beside it',
  http: 'calls the configured API',
  time: 'real date and time with time zones',
  random: 'dice, coin and pick-one',
  text: 'text transform',
  triggers: 'notices its trigger phrases',
};

/** "every 5 minutes" in ms; five minutes when the text says nothing, ten seconds at least. */
function interval(text: string): number {
  const m = /\bevery\s+(\d+)?\s*(second|minute|hour)s?\b/.exec(text);
  if (!m) return 300_000;
  const unit = m[2] === 'second' ? 1000 : m[2] === 'hour' ? 3_600_000 : 60_000;
  return Math.max(10_000, Number(m[1] ?? 1) * unit);
}

function planService(s: ServiceSpec, spec: PluginSpec, actions: Map<string, ActionPlan>): ServicePlan {
  const text = textOf(s.name, s.description, s.methods);
  const url = urlSetting(spec);
  if (/\b(monitor\w*|watch\w*|poll\w*|check\w*|uptime|health|ping\w*)\b/.test(text) && url) {
    return { recipe: 'monitor', urlSetting: url, everyMs: interval(`${s.description} ${spec.description}`.toLowerCase()) };
  }
  const methods = methodPlans(s.methods, spec.actions, actions);
  if (methods.length > 0) return { recipe: 'actions', methods };
  return { recipe: 'scaffold', reason: url ? 'no recipe fits its name and description' : 'a monitor needs a *_URL setting to watch' };
}

function serviceReport(s: ServiceSpec, plan: ServicePlan | undefined): ComponentReport {
  if (plan?.recipe === 'monitor') {
    return { kind: 'service', name: s.name, recipe: 'monitor', working: true, detail: `checks ${plan.urlSetting} every ${Math.round(plan.everyMs / 1000)} s` };
  }
  if (plan?.recipe === 'actions') {
    const open = s.methods.filter((m) => !plan.methods.some((p) => p.method === m));
    const served = plan.methods.map((p) => `${p.method} calls ${p.action}`).join(', ');
    return { kind: 'service', name: s.name, recipe: 'actions', working: open.length === 0, detail: open.length ? `${served}; not implemented yet: ${open.join(', ')}` : served };
  }
  return { kind: 'service', name: s.name, recipe: 'scaffold', working: false, detail: s.methods.length ? 'starts and stops; its methods are not implemented yet' : 'starts and stops; it declares no methods' };
}

/** The recipe of every component of a specification, and the account the job reports. */
export function planPlugin(spec: PluginSpec): PluginPlan {
  const collections = new Set<string>();
  for (const a of spec.actions) {
    const r = recordOf(a);
    if (r?.op === 'add' && r.noun && a.parameters.some((p) => p.type === 'string')) collections.add(r.noun);
  }
  const actions = new Map<string, ActionPlan>();
  for (const a of spec.actions) actions.set(a.identifier, planAction(a, spec, collections));
  const providers = new Map<string, ProviderPlan>();
  for (const p of spec.providers) providers.set(p.identifier, planProvider(p, spec, actions));
  const services = new Map<string, ServicePlan>();
  for (const s of spec.services) services.set(s.identifier, planService(s, spec, actions));
  const components: ComponentReport[] = [
    ...spec.actions.map((a): ComponentReport => {
      const plan = actions.get(a.identifier);
      const recipe = plan?.recipe ?? 'scaffold';
      const detail =
        plan?.recipe === 'scaffold'
          ? `not implemented: ${plan.reason}`
          : plan?.recipe === 'records'
            ? `${plan.op} ${plan.noun} ${DETAIL.records} (per ${plan.scope})`
            : plan?.recipe === 'text'
              ? `${plan.op}${plan.library ? ` with ${plan.library}` : ''}`
              : (DETAIL[recipe] ?? recipe);
      return { kind: 'action', name: a.actionName, recipe, working: recipe !== 'scaffold', detail };
    }),
    ...spec.providers.map((p): ComponentReport => {
      const plan = providers.get(p.identifier);
      const recipe = plan?.recipe ?? 'scaffold';
      return { kind: 'provider', name: p.providerName, recipe, working: recipe !== 'scaffold', detail: plan?.recipe === 'scaffold' ? plan.reason : (DETAIL[recipe] ?? recipe) };
    }),
    ...spec.services.map((s) => serviceReport(s, services.get(s.identifier))),
    ...spec.evaluators.map((e): ComponentReport => ({ kind: 'evaluator', name: e.evaluatorName, recipe: 'triggers', working: true, detail: DETAIL.triggers ?? '' })),
  ];
  const used = new Set([...actions.values()].flatMap((a) => (a.recipe === 'text' && a.library ? [a.library] : [])));
  return {
    actions,
    providers,
    services,
    schedules: [...actions.values()].some((a) => a.recipe === 'schedule'),
    components,
    unusedDependencies: Object.keys(spec.dependencies).filter((d) => !used.has(d)),
  };
}
