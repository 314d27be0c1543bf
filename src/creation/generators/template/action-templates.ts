import type { ActionSpec, ParameterSpec, PluginSpec } from '../../spec/plugin-spec.js';
import { kebab, lit } from './naming.js';
import type { ActionPlan, MarkField } from './recipes.js';

const ID_LIKE = /^(id|.*Id|number|index|position|ref|which)$/;
const WHEN_LIKE = /^(when|time|date|datetime|due|dueAt|at|deadline|remindAt|scheduledAt|startAt|start)$/i;

interface Decl {
  name: string;
  type: string;
  required: boolean;
  description?: string | undefined;
}

const declOf = (p: ParameterSpec): Decl => ({ name: p.name, type: p.type, required: p.required, description: p.description });
const declsLiteral = (decls: Decl[]): string =>
  `[\n${decls.map((d) => `  { name: ${lit(d.name)}, type: ${lit(d.type)}, required: ${d.required}${d.description ? `, description: ${lit(d.description)}` : ''} },`).join('\n')}\n]`;

/** A parameter the recipe needs: the first declared one that fits, else a new one under a free name. */
function ensure(decls: Decl[], test: (d: Decl) => boolean, extra: Decl, alternatives: string[] = []): { decls: Decl[]; name: string } {
  const found = decls.find(test);
  if (found) return { decls, name: found.name };
  let name = [extra.name, ...alternatives].find((n) => !decls.some((d) => d.name === n)) ?? extra.name;
  for (let i = 2; decls.some((d) => d.name === name); i++) name = `${extra.name}${i}`;
  return { decls: [...decls, { ...extra, name }], name };
}

/** The parameter that names which record or reminder: an id-like one, else the first string. */
function refParam(action: ActionSpec, fallback: string): { decls: Decl[]; ref: string } {
  const decls = action.parameters.map(declOf);
  const { name } = ensure(
    decls,
    (d) => (ID_LIKE.test(d.name) && (d.type === 'string' || d.type === 'number')) || d.type === 'string',
    { name: fallback, type: 'string', required: true },
  );
  const ref = decls.find((d) => ID_LIKE.test(d.name) && (d.type === 'string' || d.type === 'number'))?.name ?? name;
  return { decls: decls.some((d) => d.name === ref) ? decls : [...decls, { name: ref, type: 'string', required: true }], ref };
}

interface RecipeParts {
  imports: string[];
  decls: Decl[];
  body: string;
  constants: string[];
  /** The parameters the recipe reads from the message's words; the others come by name or from options. */
  main?: string[];
}

const MARK_VALUE: Record<MarkField, string> = { done: 'true', rating: 'rating', status: 'status' };

/** The imports, constants and body of the `work` function for one recipe. */
function recipeParts(action: ActionSpec, plan: ActionPlan, spec: PluginSpec): RecipeParts {
  const own = action.parameters.map(declOf);
  const read = `  const params = await readParams(runtime, message, options, PARAMETERS, DESCRIPTION);
  if (!params.ok) return params.outcome;
`;
  const file = `src/actions/${kebab(action.identifier)}.ts`;
  switch (plan.recipe) {
    case 'records': {
      const collection = `const COLLECTION: Collection = { plugin: PLUGIN_NAME, noun: ${lit(plan.noun)}, scope: ${lit(plan.scope)} };`;
      const imports = [`import { PLUGIN_NAME } from '../plugin-info.js';`];
      const fromRecords = (names: string) => `import { ${names}, type Collection } from '../records.js';`;
      switch (plan.op) {
        case 'add': {
          const { decls, name } = ensure(own, (d) => d.type === 'string', { name: 'text', type: 'string', required: true });
          return { imports: [...imports, fromRecords('addRecord')], decls, constants: [collection], main: [name], body: `${read}  return addRecord(runtime, message, COLLECTION, params.values, ${lit(name)});` };
        }
        case 'list':
          return { imports: [...imports, fromRecords('listOutcome')], decls: own, constants: [collection], body: '  return listOutcome(runtime, message, COLLECTION);' };
        case 'clear':
          return { imports: [...imports, fromRecords('clearRecords')], decls: own, constants: [collection], body: '  return clearRecords(runtime, message, COLLECTION);' };
        case 'find': {
          const { decls, name } = ensure(own, (d) => d.type === 'string', { name: 'query', type: 'string', required: true });
          return { imports: [...imports, fromRecords('findRecords')], decls, constants: [collection], main: [name], body: `${read}  return findRecords(runtime, message, COLLECTION, String(valueAt(params.values, ${lit(name)})));` };
        }
        case 'remove': {
          const { decls, ref } = refParam(action, 'id');
          return { imports: [...imports, fromRecords('removeRecord')], decls, constants: [collection], main: [ref], body: `${read}  return removeRecord(runtime, message, COLLECTION, String(valueAt(params.values, ${lit(ref)})));` };
        }
        case 'mark': {
          const field = plan.field ?? 'status';
          const r = refParam(action, 'id');
          const kind = field === 'rating' ? 'number' : 'string';
          const value = field === 'done' ? { decls: r.decls, name: '' } : ensure(r.decls, (d) => d.type === kind && d.name !== r.ref, { name: MARK_VALUE[field], type: kind, required: true });
          const set = field === 'done' ? 'true' : `valueAt(params.values, ${lit(value.name)})`;
          return {
            imports: [...imports, fromRecords('markRecord')],
            decls: value.decls,
            constants: [collection],
            main: [r.ref, value.name].filter(Boolean),
            body: `${read}  return markRecord(runtime, message, COLLECTION, String(valueAt(params.values, ${lit(r.ref)})), ${lit(field)}, ${set});`,
          };
        }
        case 'update': {
          const r = refParam(action, 'id');
          const withText = ensure(r.decls, (d) => d.type === 'string' && d.name !== r.ref, { name: 'text', type: 'string', required: true });
          return {
            imports: [...imports, fromRecords('updateRecord')],
            decls: withText.decls,
            constants: [collection],
            main: [r.ref, withText.name],
            body: `${read}  return updateRecord(runtime, message, COLLECTION, String(valueAt(params.values, ${lit(r.ref)})), without(params.values, ${lit(r.ref)}), ${lit(withText.name)});`,
          };
        }
      }
      break;
    }
    case 'schedule': {
      const imports = [`import { SCHEDULE } from '../plugin-info.js';`];
      if (plan.op === 'list') return { imports: [...imports, `import { listReminders } from '../schedule.js';`], decls: own, constants: [], body: '  return listReminders(runtime, message, SCHEDULE);' };
      if (plan.op === 'clear') return { imports: [...imports, `import { clearReminders } from '../schedule.js';`], decls: own, constants: [], body: '  return clearReminders(runtime, message, SCHEDULE);' };
      if (plan.op === 'cancel') {
        const { decls, ref } = refParam(action, 'which');
        return { imports: [...imports, `import { cancelReminder } from '../schedule.js';`], decls, constants: [], main: [ref], body: `${read}  return cancelReminder(runtime, message, SCHEDULE, String(valueAt(params.values, ${lit(ref)})));` };
      }
      const withWhen = ensure(own, (d) => WHEN_LIKE.test(d.name) && (d.type === 'string' || d.type === 'number'), { name: 'when', type: 'string', required: true }, ['dueAt', 'remindAt', 'datetime', 'deadline']);
      const withText = ensure(withWhen.decls, (d) => d.type === 'string' && d.name !== withWhen.name && !ID_LIKE.test(d.name), { name: 'text', type: 'string', required: true });
      return {
        imports: [...imports, `import { addReminder, dueDate } from '../schedule.js';`],
        decls: withText.decls,
        constants: [],
        main: [withWhen.name, withText.name],
        body: `${read}  return addReminder(runtime, message, SCHEDULE, String(valueAt(params.values, ${lit(withText.name)})), dueDate(valueAt(params.values, ${lit(withWhen.name)})));`,
      };
    }
    case 'conversion': {
      const rates = plan.ratesSetting ? lit(plan.ratesSetting) : 'undefined';
      return {
        imports: [`import { convertAnswer } from '../units.js';`],
        decls: own,
        constants: [`const RATES_SETTING: string | undefined = ${rates};`],
        body: `${read}  const rates = RATES_SETTING ? runtime.getSetting(RATES_SETTING) : undefined;
  return convertAnswer(params.text, params.values, typeof rates === 'string' ? rates : undefined);`,
      };
    }
    case 'http': {
      const fallback = plan.defaultBaseUrl ? `, defaultBaseUrl: ${lit(plan.defaultBaseUrl)}` : '';
      const call = `const CALL: ApiCall = { baseUrlSetting: ${lit(plan.baseUrlSetting)}, ${plan.keySetting ? `keySetting: ${lit(plan.keySetting)}, ` : ''}hosts: ${JSON.stringify(spec.permissions.network)}, timeoutMs: 10_000${fallback} };`;
      return {
        imports: [`import { PLUGIN_NAME } from '../plugin-info.js';`, `import { callApi, type ApiCall } from '../http.js';`],
        decls: own,
        constants: [call],
        body: `${read}  const outcome = await callApi(runtime, CALL, params.values);
  if (outcome.success) await runtime.setCache(PLUGIN_NAME + '/http/last/' + String(message.roomId), { text: outcome.text, at: new Date().toISOString() });
  return outcome;`,
      };
    }
    case 'time': {
      const zone = spec.environmentVariables.find((v) => /(TIMEZONE|TIME_ZONE|TZ)$/.test(v.name))?.name;
      return {
        imports: [`import { timeAnswer } from '../clock.js';`],
        decls: own,
        constants: [`const ZONE_SETTING: string | undefined = ${zone ? lit(zone) : 'undefined'};`],
        body: `  const text = typeof message.content.text === 'string' ? message.content.text : '';
  const zone = ZONE_SETTING ? runtime.getSetting(ZONE_SETTING) : undefined;
  return timeAnswer(text, typeof zone === 'string' && zone ? zone : 'UTC');`,
      };
    }
    case 'random': {
      const list = own.find((d) => d.type === 'array')?.name;
      return {
        imports: [`import { randomAnswer } from '../random.js';`],
        decls: own,
        constants: [],
        body: `${read}  return randomAnswer(params.text, ${list ? `valueAt(params.values, ${lit(list)})` : 'undefined'});`,
      };
    }
    case 'text': {
      const { decls, name } = ensure(own, (d) => d.type === 'string', { name: 'text', type: 'string', required: true });
      const library = plan.library;
      const imports = [`import { transform } from '../text-transforms.js';`, ...(library ? [`import slugifyLibrary from ${lit(library)};`] : [])];
      const slug = library === 'slugify' ? ', (s) => slugifyLibrary(s, { lower: true, strict: true })' : library ? ', (s) => slugifyLibrary(s)' : '';
      return { imports, decls, constants: [], main: [name], body: `${read}  return transform(${lit(plan.op)}, String(valueAt(params.values, ${lit(name)}))${slug});` };
    }
    case 'scaffold':
      return {
        imports: [`import { notImplemented } from '../scaffold.js';`],
        decls: own,
        constants: [],
        body: `  // Not implemented yet: no recipe fits this action (${plan.reason.replace(/\*\//g, '')}).
${read}  return notImplemented(ACTION_NAME, ${lit(file)}, params.values);`,
      };
  }
  return { imports: [], decls: own, constants: [], body: '' };
}

/**
 * A recipe's parts, reading the declared parameters first whenever one is required: a call without
 * a required value gets a question back, never a success.
 */
function partsOf(action: ActionSpec, plan: ActionPlan, spec: PluginSpec): RecipeParts {
  const parts = recipeParts(action, plan, spec);
  if (parts.body.includes('readParams(') || !parts.decls.some((d) => d.required)) return parts;
  const read = `  const params = await readParams(runtime, message, options, PARAMETERS, DESCRIPTION);
  if (!params.ok) return params.outcome;
`;
  const comment = /^(\s*\/\/[^\n]*\n)/.exec(parts.body)?.[1] ?? '';
  return { ...parts, body: `${comment}${read}${parts.body.slice(comment.length)}` };
}

/** The parameters an action declares to its readers, and which of them the recipe reads from the words. */
export function actionParameters(action: ActionSpec, plan: ActionPlan, spec: PluginSpec): { decls: Decl[]; main: string[] } {
  const parts = partsOf(action, plan, spec);
  return { decls: parts.decls, main: parts.main ?? [] };
}

export function actionSource(action: ActionSpec, plan: ActionPlan, spec: PluginSpec): string {
  const parts = partsOf(action, plan, spec);
  const reads = parts.body.includes('readParams(');
  const optionsName = parts.body.includes('options') ? 'options' : '_options';
  const required = spec.environmentVariables.filter((v) => v.required).map((v) => lit(v.name));
  return `import type { Action, HandlerCallback, HandlerOptions, IAgentRuntime, Memory, State } from '@elizaos/core';
import { ${[reads ? 'readParams' : '', ...['valueAt', 'without'].filter((f) => parts.body.includes(`${f}(`)), 'type ParamDecl'].filter(Boolean).join(', ')} } from '../params.js';
import { answer, type Outcome } from '../reply.js';
${parts.imports.join('\n')}

const ACTION_NAME = ${lit(action.actionName)};
const DESCRIPTION = ${lit(action.description)};
/** What the action reads from a message (see params.ts). */
export const PARAMETERS: ParamDecl[] = ${declsLiteral(parts.decls)};
const REQUIRED_SETTINGS: string[] = [${required.join(', ')}];
${parts.constants.join('\n')}

async function work(runtime: IAgentRuntime, message: Memory, ${optionsName}: HandlerOptions | undefined): Promise<Outcome> {
${parts.body}
}

export const ${action.identifier}Action: Action = {
  name: ACTION_NAME,
  similes: [${lit(action.name)}],
  description: DESCRIPTION,
  validate: async (_runtime: IAgentRuntime, message: Memory): Promise<boolean> => typeof message.content.text === 'string',
  handler: async (runtime: IAgentRuntime, message: Memory, _state?: State, options?: HandlerOptions, callback?: HandlerCallback) =>
    answer(ACTION_NAME, runtime, callback, REQUIRED_SETTINGS, () => work(runtime, message, options)),
  examples: [],
};
`;
}
