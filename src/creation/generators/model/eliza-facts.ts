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

export const ELIZA_FACTS = `ElizaOS 1.x facts (core 1.7; import from '@elizaos/core', types with \`import type\`):
- Exports: src/index.ts exports the plugin as \`export const plugin: Plugin = { name, description, actions,
  providers, services, evaluators }\` and \`export default plugin\`, and exports each component by name.
  Each component's ElizaOS name is the one the specification gives (actionName, providerName, serviceType,
  evaluatorName): the validation imports the built plugin and looks for exactly those names.
- Relative imports end in .js (the plugin runs as Node ESM): \`import { x } from './actions/x.js'\`, never
  './actions/x'. The lint step refuses an import without it.
- Action: { name, similes: string[], description, validate: async (runtime, message, state?) => boolean,
  handler: async (runtime, message, state?, options?, callback?) => ActionResult, examples }.
  ActionResult = { success: boolean; text?: string; values?: Record<string, unknown>; data?: Record<string,
  unknown>; error?: string }. Callback: \`await callback?.({ text, actions: ['ACTION_NAME'] })\`.
  examples: ActionExample[][], e.g. [[{ name: '{{user}}', content: { text: 'add milk' } },
  { name: '{{agent}}', content: { text: 'Added milk.', actions: ['ADD_ITEM'] } }]].
- Parameters: a live agent calls the handler with options = { actionContext, actionPlan?, onStreamChunk? }:
  no parameters. Read each declared parameter from (options?.parameters as Record<string, unknown> |
  undefined)?.[name], else from a JSON object in message.content.text, else from the text itself; never
  treat other keys of options as parameters. A required parameter that is missing: return { success: false,
  error } and tell the user through the callback what to send. Optional parameters get a default.
- Provider: { name, description, get: async (runtime, message, state) => ({ text, values, data }) }.
  A provider without \`dynamic: true\` runs on every state build, for every reply and during action calls:
  its get must only read (never mark, delete, send or consume anything) and be cheap. Do changes in actions.
- Persistence: no files and no module-level state (lost on restart, shared by every user). Keep data in
  runtime.getCache/setCache/deleteCache or in memories, keyed per user or per room, e.g.
  \`plugin-x:\${message.entityId}:items\` or \`plugin-x:\${message.roomId}:items\`.
- Service: reach it with runtime.getService<NotesService>(NotesService.serviceType), which may be null.
  Write it like this:
${SERVICE_EXAMPLE.replace(/^/gm, '    ')}
- Settings: runtime.getSetting('NAME') for the settings the specification declares; never process.env.
- Network: only to the hosts in the specification's permissions.network, with fetch; none when it is empty.
- Never spawn processes, use eval/new Function or computed imports, or write files.
${NARROW_RUNTIME_CONTRACT}`;

export const TOOLCHAIN_FACTS = `The workspace: TypeScript 5.9 strict (noUncheckedIndexedAccess, noImplicitOverride,
verbatimModuleSyntax, moduleResolution Bundler, ES2022), ESLint 9 with typescript-eslint recommendedTypeChecked
(no floating promises, no unsafe any, no unused variables; relative imports need .js), Vitest 3.
Validation, after the tests pass: the built dist/index.js is imported in a child process and must have every
component the specification names; every component must be named (its identifier or its ElizaOS name) in a
test file of your own under src/__tests__/ (the contract tests do not count); and the source is scanned for
child processes, eval, computed imports, whole-environment reads, raw sockets and file writes.`;
