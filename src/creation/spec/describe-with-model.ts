import { PluginDynamicError } from '../../errors.js';
import { jsonInText } from '../../shared/eliza/action-input.js';
import type { ModelCall } from '../generators/model/model-call.js';
import type { PluginSpec } from './plugin-spec.js';
import { safeParsePluginSpec, type SpecIssue } from './spec-schema.js';

const SHAPE = `{
  "name": "plugin-example",
  "description": "what it does",
  "version": "0.1.0",
  "actions": [{ "name": "doThing", "description": "...",
                "parameters": { "city": "string", "units": { "type": "string", "required": false, "description": "..." } } }],
  "providers": [{ "name": "thingInfo", "description": "...", "dataStructure": { "field": "string" } }],
  "services": [{ "name": "ThingService", "description": "...", "methods": ["connect"] }],
  "evaluators": [{ "name": "thingMentioned", "description": "...", "triggers": ["phrase"] }],
  "dependencies": { "npm-package": "^1.0.0" },
  "environmentVariables": [{ "name": "THING_API_KEY", "description": "...", "required": true, "sensitive": true }],
  "permissions": { "network": ["api.thing.example"], "modelCallsPerHour": 0, "storageMb": 0, "taskWorkers": [],
                   "events": [], "routes": [], "postToRooms": false }
}
"name" is the npm package name, lower case. Parameter types: string, number, boolean, object, array. A parameter is required unless marked optional:
"units": "string?" or "units": { "type": "string", "required": false }; make a parameter optional when the
action has a sensible default for it. permissions says what the plugin may do when it runs isolated, and
nothing else is allowed: network lists the host names it calls (no scheme, port or path); modelCallsPerHour
the runtime.useModel calls it makes in an hour; storageMb what it keeps in its data folder and cache;
taskWorkers, events and routes the names it registers or emits (a route written "GET /path"); postToRooms
whether it posts messages with sendMessageToTarget. Ask for the least the plugin needs. Omit what it does not need.`;

function prompt(sentence: string): string {
  return `Turn this request for an ElizaOS plugin into a plugin specification.\n\nRequest: ${sentence}\n\nAnswer with one JSON object only, in this shape:\n${SHAPE}`;
}

function repair(sentence: string, answer: string, issues: SpecIssue[]): string {
  const list = issues.slice(0, 10).map((i) => `- ${i.field} (${JSON.stringify(i.value)}): ${i.message}`).join('\n');
  return `${prompt(sentence)}\n\nYour previous answer was:\n${answer.slice(0, 4_000)}\n\nIt was refused for these reasons:\n${list}\n\nAnswer with the corrected JSON object only.`;
}

/**
 * A specification from a sentence through the agent's model: asked for as JSON, validated, and
 * given one repair round with the validation errors when it is refused.
 */
export async function describeWithModel(
  callModel: ModelCall,
  sentence: string,
  opts: { signal?: AbortSignal } = {},
): Promise<PluginSpec> {
  let text = prompt(sentence);
  let issues: SpecIssue[] = [];
  for (let round = 0; round < 2; round++) {
    opts.signal?.throwIfAborted();
    const answer = await callModel(text, opts.signal);
    const result = safeParsePluginSpec(jsonInText(answer) ?? answer);
    if (result.success) return result.spec;
    issues = result.issues;
    text = repair(sentence, answer, issues);
  }
  const shown = issues.slice(0, 5).map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new PluginDynamicError('INVALID_SPEC', `The model's specification was refused twice: ${shown}.`, { details: { issues } });
}
