import { codedError } from '../errors.js';
import type { ActionSpec } from '../creation/spec/plugin-spec.js';
import type { ActionRun } from './run-action.js';

/*
 * Which action `create --run-action` runs and with what message. Kept apart from run-action.ts
 * (which needs @elizaos/core at run time) so commands load quickly.
 */

/** The action `--run-action` asked for (by its ElizaOS or spec name), or the plugin's first. */
export function pickAction(spec: { actions?: unknown }, wanted: string | undefined): ActionSpec {
  const actions = Array.isArray(spec.actions) ? (spec.actions as ActionSpec[]) : [];
  const action = wanted
    ? actions.find((a) => a.actionName === wanted || a.name === wanted || a.identifier === wanted)
    : actions[0];
  if (!action) {
    const names = actions.map((a) => a.actionName).join(', ') || 'none';
    throw codedError('INVALID_INPUT', { input: 'The plugin', problem: `has no action ${wanted ? `${wanted} ` : ''}to run (actions: ${names}).` });
  }
  return action;
}

/** A message that fills every parameter with a sample of its type, as JSON the actions read. */
export function sampleMessage(action: ActionSpec): string {
  const sample = (type: string, name: string): unknown =>
    type === 'number' ? 1 : type === 'boolean' ? true : type === 'array' ? [] : type === 'object' ? {} : `example ${name}`;
  return JSON.stringify(Object.fromEntries(action.parameters.map((p) => [p.name, sample(p.type, p.name)])));
}

/** The answer a person reads: the action's own text, or what it sent through the callback. */
export function answerOf(run: ActionRun): { success: boolean; text: string } {
  const first = run.results[0];
  const text = first?.text ?? run.replies.map((r) => r.text ?? '').filter(Boolean).join('\n');
  return { success: first?.success ?? false, text: text || '(no answer)' };
}
