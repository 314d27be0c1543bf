import { words } from '../../spec/identifiers.js';
import type { ActionSpec } from '../../spec/plugin-spec.js';
import type { ActionPlan, MethodPlan } from './plan-types.js';

/** What a method's first word asks for, in the ops the recipes use. */
const METHOD_OPS: Record<string, string> = {
  add: 'add', create: 'add', save: 'add', store: 'add', record: 'add', log: 'add', track: 'add', insert: 'add', put: 'add', new: 'add',
  schedule: 'add', remind: 'add', set: 'add',
  remove: 'remove', delete: 'remove', forget: 'remove', drop: 'remove', erase: 'remove',
  cancel: 'cancel',
  list: 'list', show: 'list', all: 'list', view: 'list', upcoming: 'list', pending: 'list',
  find: 'find', search: 'find', lookup: 'find', query: 'find',
  update: 'update', edit: 'update', change: 'update', rename: 'update',
  clear: 'clear', reset: 'clear', wipe: 'clear', purge: 'clear', empty: 'clear',
  complete: 'mark', finish: 'mark', done: 'mark', mark: 'mark', rate: 'mark',
  convert: 'convert', roll: 'random', flip: 'random', pick: 'random', choose: 'random',
};

function opOf(plan: ActionPlan): string | undefined {
  switch (plan.recipe) {
    case 'records':
      return plan.op;
    case 'schedule':
      return plan.op === 'cancel' ? 'cancel' : plan.op;
    case 'conversion':
      return 'convert';
    case 'random':
      return 'random';
    default:
      return undefined;
  }
}

/**
 * The action each service method calls: the one its name names, else the one whose recipe does what
 * the method's first word says (ReminderService.schedule -> the action that sets reminders). A
 * method no working action fits stays an honest scaffold.
 */
export function methodPlans(methods: string[], actions: ActionSpec[], plans: Map<string, ActionPlan>): MethodPlan[] {
  const working = actions.filter((a) => plans.get(a.identifier) && plans.get(a.identifier)?.recipe !== 'scaffold');
  const out: MethodPlan[] = [];
  for (const method of methods) {
    const named = working.find((a) => a.identifier.toLowerCase() === method.toLowerCase());
    const verb = words(method)[0] ?? '';
    const op = METHOD_OPS[verb] ?? verb;
    const cancelAsRemove = (plan: ActionPlan | undefined): boolean => op === 'remove' && plan?.recipe === 'schedule' && plan.op === 'cancel';
    const same =
      named ??
      working.find((a) => opOf(plans.get(a.identifier) as ActionPlan) === op || cancelAsRemove(plans.get(a.identifier))) ??
      working.find((a) => words(a.name)[0] === verb);
    if (same) out.push({ method, action: same.identifier });
  }
  return out;
}
