// What the runtime offers comes from the plugin host itself, so the prompts and the host cannot disagree.
import { NARROW_RUNTIME_CONTRACT } from '../../../shared/narrow-runtime/narrow-runtime-contract.js';

/**
 * What a model must know about ElizaOS 1.x (core 1.7) to write a plugin that builds, passes its
 * tests and behaves in a live agent. Each line answers a question a model otherwise had to guess
 * (and got wrong, at the cost of an iteration or of a bug the tests did not catch).
 */

export const SERVICE_EXAMPLE = `import { Service, type IAgentRuntime } from '@elizaos/core';

export class NotesService extends Service {
  // noImplicitOverride is on: every member the base class declares needs \`override\`.
  static override serviceType = 'notes';
  override capabilityDescription = 'Keeps notes per user';

  static override async start(runtime: IAgentRuntime): Promise<NotesService> {
    return new NotesService(runtime);
  }

  override async stop(): Promise<void> {
    // release timers and connections here
  }
}`;

/** A plugin's own event: JSON values beside the two fields core 1.7's EventPayload requires. */
export const EVENT_EXAMPLE = `import type { EventPayload, IAgentRuntime } from '@elizaos/core';

export interface ReminderFiredPayload extends EventPayload {
  reminderId: string;
  text: string;
}

export async function emitReminderFired(runtime: IAgentRuntime, reminderId: string, text: string): Promise<void> {
  const payload: ReminderFiredPayload = { runtime, source: 'plugin-reminders', reminderId, text };
  await runtime.emitEvent('plugin-reminders:reminder-fired', payload);
}`;

/** A service that posts to the room a request came from, later (a reminder, a summary). */
export const POSTING_EXAMPLE = `import { Service, type IAgentRuntime, type Memory, type TargetInfo } from '@elizaos/core';

export class ReminderService extends Service {
  static override serviceType = 'reminders';
  override capabilityDescription = 'Posts reminders to the room they were set in';

  static override async start(runtime: IAgentRuntime): Promise<ReminderService> {
    return new ReminderService(runtime);
  }

  /** Where a later message goes: the room and platform of the message that asked (plain JSON, cacheable). */
  static targetOf(message: Memory): TargetInfo {
    return { source: message.content.source ?? 'plugin-reminders', roomId: message.roomId };
  }

  async post(target: TargetInfo, text: string): Promise<void> {
    await this.runtime.sendMessageToTarget(target, { text });
  }

  override async stop(): Promise<void> {
    // clear timers here
  }
}`;

/** A text model call: the params shape of core 1.7, the answer a string. */
export const MODEL_EXAMPLE = `import { ModelType, type IAgentRuntime } from '@elizaos/core';

export async function summarise(runtime: IAgentRuntime, text: string): Promise<string> {
  return runtime.useModel(ModelType.TEXT_SMALL, { prompt: \`Summarise in one sentence:\\n\${text}\`, maxTokens: 200 });
}`;

const indent = (code: string): string => code.replace(/^/gm, '    ');

/** The three names of a component, which prompts once called by one word ("identifier"). */
export const NAME_FACTS = `- Names: each component has three, kept apart here. Its specification \`identifier\` is the camelCase
  field of the specification (e.g. addItem; a service has \`className\` instead). Its exported TypeScript
  name is the name you give it in your code, any you like (e.g. addItemAction). Its ElizaOS name is the
  string in its \`name\` field (a service: its static serviceType), exactly the specification's actionName,
  providerName, evaluatorName or serviceType: the validation imports the built plugin and looks for those.`;

/** Where an action's parameters come from in a live agent. */
export const PARAMETER_FACTS = `- Parameters: a live agent calls the handler with options = { actionContext, actionPlan?, onStreamChunk? }:
  no parameters. Read each declared parameter from (options?.parameters as Record<string, unknown> |
  undefined)?.[name], else from a JSON object in message.content.text, else from the text itself; never
  treat other keys of options as parameters. A required parameter that is missing: return { success: false,
  error } and tell the user through the callback what to send. Optional parameters get a default.`;

export const PROVIDER_FACTS = `- Provider: { name, description, get: async (runtime, message, state) => ({ text, values, data }) }.
  A provider without \`dynamic: true\` runs on every state build, for every reply and during action calls:
  its get must only read (never mark, delete, send or consume anything) and be cheap. Do changes in actions.`;

export const PERSISTENCE_FACTS = `- Persistence: no files and no module-level state (lost on restart, shared by every user). Keep data in
  runtime.getCache/setCache/deleteCache or in memories, keyed per user or per room, e.g.
  \`plugin-x:\${message.entityId}:items\` or \`plugin-x:\${message.roomId}:items\`.`;

/** What the specification's permissions grant (agentConfig.permissions of the built plugin). */
export const PERMISSION_FACTS = `- Permissions: an isolated plugin may do only what its specification's permissions declare.
  permissions.network lists the host names it may reach (with fetch; none when it is empty).
  permissions.postToRooms (true or false; false when absent) says whether it may post messages to rooms with
  runtime.sendMessageToTarget. permissions.taskWorkers lists the task worker names it may register
  (runtime.registerTaskWorker). permissions.storageMb (0 when absent) bounds what it keeps with
  runtime.setCache; permissions.modelCallsPerHour (0 when absent) bounds runtime.useModel;
  permissions.events lists the event names it may handle or emit. Post, register task workers, use the
  cache, call a model or use events only when the specification grants it; otherwise keep data and
  messages in the room's memories (runtime.createMemory / runtime.getMemories), which need no grant.`;

export const ELIZA_FACTS = `ElizaOS 1.x facts (core 1.7; import from '@elizaos/core', types with \`import type\`):
${NAME_FACTS}
- Exports: src/index.ts exports the plugin as \`export const plugin: Plugin = { name, description, actions,
  providers, services, evaluators }\` and \`export default plugin\`, and exports each component under its
  exported TypeScript name: \`export { addItemAction, itemsProvider, ItemsService }\`.
- Relative imports end in .js (the plugin runs as Node ESM): \`import { x } from './actions/x.js'\`, never
  './actions/x'. The lint step refuses an import without it.
- Action: { name, similes: string[], description, validate: async (runtime, message, state?) => boolean,
  handler, examples }, the handler typed \`async (runtime: IAgentRuntime, message: Memory, state?: State,
  options?: HandlerOptions, callback?: HandlerCallback): Promise<ActionResult>\` (all from '@elizaos/core').
  ActionResult = { success: boolean; text?: string; values?: Record<string, unknown>; data?: Record<string,
  unknown>; error?: string }. Callback: \`await callback?.({ text, actions: ['ACTION_NAME'] })\`.
  examples: ActionExample[][], e.g. [[{ name: '{{user}}', content: { text: 'add milk' } },
  { name: '{{agent}}', content: { text: 'Added milk.', actions: ['ADD_ITEM'] } }]].
- Evaluator: { name, similes?, description, alwaysRun?: boolean, examples: EvaluationExample[] (each
  { prompt, messages: ActionExample[], outcome }), validate: async (runtime, message, state?) => boolean,
  handler (typed like an action's) }. It runs after the agent's reply when validate answers true. The contract
  test calls validate on the stub runtime (no cache, no memories) with "so <trigger> then" for each trigger
  the specification gives, and with an unrelated text: judge by the message text in validate; reach the cache
  or memories only in the handler.
${PARAMETER_FACTS}
${PROVIDER_FACTS}
${PERSISTENCE_FACTS}
- Service: reach it with runtime.getService<NotesService>(NotesService.serviceType), which may be null; inside
  the plugin (isolated or not) it returns the real instance, so its methods and fields are there.
  Write it like this:
${indent(SERVICE_EXAMPLE)}
- Models: runtime.useModel(ModelType.TEXT_SMALL or TEXT_LARGE, { prompt, maxTokens?, temperature? }) answers a
  string; OBJECT_SMALL/OBJECT_LARGE take { prompt, schema? } and answer an object. Like this:
${indent(MODEL_EXAMPLE)}
- Custom events: core 1.7's emitEvent needs a payload with \`runtime\` and \`source\`; declare the plugin's own
  payload type extending EventPayload, with JSON values beside those two (the runtime itself never crosses to
  listeners in another process: they get the agent's). Name the event after the plugin. Like this:
${indent(EVENT_EXAMPLE)}
- Posting later (a reminder that fires, a scheduled summary): remember the target of the message that asked
  (its roomId and content.source, plain JSON in the cache) and post with runtime.sendMessageToTarget(target,
  { text }). A plugin may post only to rooms and entities it was invoked from or that its settings name, and
  only a few messages a minute. Like this:
${indent(POSTING_EXAMPLE)}
${PERMISSION_FACTS}
- Settings: runtime.getSetting('NAME') for the settings the specification declares; never process.env.
- Never spawn processes, use eval/new Function or computed imports, or write files.
${NARROW_RUNTIME_CONTRACT}`;

/** The workspace's lint rules as WORKSPACE_ESLINT_CONFIG sets them (scaffold-workspace.ts). */
export const LINT_FACTS = `Lint: ESLint 9 with typescript-eslint's recommendedTypeChecked (no unsafe any, no misused promises) and the
workspace's own rules: no-floating-promises is an error (await or return every promise); require-await is off
(an async function or method without await, such as a Service's start or stop, is fine); no-unused-vars is an
error, except arguments whose name starts with _; a relative import needs its .js extension.`;

export const TOOLCHAIN_FACTS = `The workspace: TypeScript 5.9 strict (noUncheckedIndexedAccess, noImplicitOverride,
verbatimModuleSyntax, moduleResolution Bundler, ES2022), Vitest 3.
${LINT_FACTS}
Validation, after the tests pass: the built dist/index.js is imported in a child process and must have every
component's ElizaOS name the specification gives; every component must appear in a test file of your own under
src/__tests__/ (the contract tests do not count), by its specification \`identifier\` (a service: its className)
or its ElizaOS name, anywhere in the text (addItemAction contains addItem); and the source is scanned for
child processes, eval, computed imports, whole-environment reads, raw sockets and file writes.`;

export const TEST_FACTS = `- Tests: Vitest (import { describe, it, expect, vi } from 'vitest'), one src/__tests__/<component>.test.ts per
  component (every src/**/*.test.ts runs), testing its behaviour (what it answers, what it stores), not only that
  it exists. Tests are type-checked by the build (tsc over src/, strict) and linted like the sources: type the
  stub runtime as \`{ ... } as unknown as IAgentRuntime\` and give it only what the code under test calls.
- Ids in tests: give a message's entityId (the user) and the runtime's agentId (the agent) different ids, as the
  contract tests do; code that ignores the agent's own messages compares message.entityId with runtime.agentId.`;

/**
 * What a reviewer needs to judge the plugin without false findings, and to write a test that builds:
 * the facts the plugin was written against (not the examples or the answer format), within the
 * review prompt's budget.
 */
export const REVIEW_FACTS = `ElizaOS 1.x facts (core 1.7) the plugin was written against; what they allow is not a finding:
${NAME_FACTS}
${PARAMETER_FACTS}
${PROVIDER_FACTS}
${PERSISTENCE_FACTS}
- Service: runtime.getService(serviceType) returns the plugin's own service, the real instance (also isolated), or null.
- Custom events: core 1.7's emitEvent takes a payload with \`runtime\` and \`source\` beside JSON values; the
  runtime field is what core's EventPayload type requires (it never crosses to another process).
- Posting: runtime.sendMessageToTarget({ source, roomId }, { text }) posts to a room; the plugin may post only
  to rooms and entities it was invoked from or that its settings name, a few messages a minute.
${PERMISSION_FACTS}
${LINT_FACTS}
${TEST_FACTS}
${NARROW_RUNTIME_CONTRACT}`;
