import type { ActionSpec, EvaluatorSpec, PluginSpec, ProviderSpec, ServiceSpec } from '../../spec/plugin-spec.js';
import { lit, verbOf } from './naming.js';

const ADDERS = new Set(['add', 'create', 'save', 'store', 'new', 'insert', 'remember', 'record', 'post', 'schedule', 'track']);
const REMOVERS = new Set(['remove', 'delete', 'cancel', 'complete', 'clear', 'drop']);
const LISTERS = new Set(['list', 'show', 'all']);

export type ActionBehaviour = 'add' | 'remove' | 'list' | 'answer';

/** What a generic action can really do offline, from the verb its name starts with. */
export function actionBehaviour(action: ActionSpec): ActionBehaviour {
  const verb = verbOf(action.identifier);
  if (ADDERS.has(verb) && action.parameters.length > 0) return 'add';
  if (REMOVERS.has(verb) && action.parameters.some((p) => p.name === 'id')) return 'remove';
  if (LISTERS.has(verb)) return 'list';
  return 'answer';
}

export function actionSource(action: ActionSpec, spec: PluginSpec): string {
  const params = action.parameters.map((p) => `  { name: ${lit(p.name)}, type: ${lit(p.type)}, required: ${p.required} },`).join('\n');
  const required = spec.environmentVariables.filter((v) => v.required).map((v) => lit(v.name));
  const behaviour = actionBehaviour(action);
  const body: Record<ActionBehaviour, string> = {
    add: `    const item = addItem(params.values);
    const text = \`\${DESCRIPTION}: saved as #\${item.id} (\${describe(params.values)}).\`;
    return done(text, { item }, callback);`,
    remove: `    const id = String(params.values['id']);
    const item = removeItem(id);
    if (!item) return fail(\`There is no item #\${id}.\`, callback);
    return done(\`Removed #\${id}.\`, { item }, callback);`,
    list: `    const items = listItems();
    const text = items.length === 0 ? 'There are no items yet.' : items.map((i) => \`#\${i.id} \${describe(i.value)}\`).join('\\n');
    return done(text, { items }, callback);`,
    answer: `    const text = \`\${DESCRIPTION}\${Object.keys(params.values).length ? \` (\${describe(params.values)})\` : ''}: request accepted.\`;
    return done(text, { request: params.values }, callback);`,
  };
  const storeImports = { add: 'addItem', remove: 'removeItem', list: 'listItems', answer: '' }[behaviour];
  return `import type { Action, ActionResult, HandlerCallback, HandlerOptions, IAgentRuntime, Memory, State } from '@elizaos/core';
import { extractParams, type ParamDecl } from '../params.js';
${storeImports ? `import { ${storeImports} } from '../store.js';\n` : ''}
const ACTION_NAME = ${lit(action.actionName)};
const DESCRIPTION = ${lit(action.description)};
const PARAMETERS: ParamDecl[] = [
${params}
];
const REQUIRED_SETTINGS: string[] = [${required.join(', ')}];

${behaviour === 'remove' ? '' : `function describe(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([key, value]) => \`\${key}=\${typeof value === 'string' ? value : JSON.stringify(value)}\`)
    .join(', ');
}
`}
async function fail(text: string, callback: HandlerCallback | undefined): Promise<ActionResult> {
  await callback?.({ text, actions: [ACTION_NAME] });
  return { success: false, text, error: text, data: { actionName: ACTION_NAME } };
}

async function done(text: string, data: Record<string, unknown>, callback: HandlerCallback | undefined): Promise<ActionResult> {
  await callback?.({ text, actions: [ACTION_NAME] });
  return { success: true, text, values: { lastAction: ACTION_NAME }, data: { actionName: ACTION_NAME, ...data } };
}

export const ${action.identifier}Action: Action = {
  name: ACTION_NAME,
  similes: [${lit(action.name)}],
  description: DESCRIPTION,
  validate: async (_runtime: IAgentRuntime, message: Memory): Promise<boolean> => typeof message.content.text === 'string',
  handler: async (
    runtime: IAgentRuntime,
    message: Memory,
    _state?: State,
    options?: HandlerOptions,
    callback?: HandlerCallback,
  ): Promise<ActionResult> => {
    const unset = REQUIRED_SETTINGS.filter((name) => !runtime.getSetting(name));
    if (unset.length > 0) return fail(\`\${ACTION_NAME} needs the setting(s) \${unset.join(', ')}.\`, callback);
    const params = extractParams(message, options, PARAMETERS);
    if (params.missing.length > 0) return fail(\`Please give \${params.missing.join(', ')} for \${ACTION_NAME}.\`, callback);
    if (params.invalid.length > 0) return fail(\`These values have the wrong type: \${params.invalid.join(', ')}.\`, callback);
${body[behaviour]}
  },
  examples: [],
};
`;
}

export function providerSource(provider: ProviderSpec): string {
  const fields = Object.entries(provider.dataStructure ?? { summary: 'string' });
  const sample = (type: string): string =>
    /number|int|float/i.test(type) ? '0' : /bool/i.test(type) ? 'false' : /\[\]|array|list/i.test(type) ? '[]' : /object|record/i.test(type) ? '{}' : "''";
  return `import type { IAgentRuntime, Memory, Provider, ProviderResult } from '@elizaos/core';

const HEADER = ${lit(`# ${provider.providerName}\n${provider.description}`)};
const FIELDS: Record<string, unknown> = {
${fields.map(([k, t]) => `  ${lit(k)}: ${sample(t)},`).join('\n')}
};

export const ${provider.identifier}Provider: Provider = {
  name: ${lit(provider.providerName)},
  description: ${lit(provider.description)},
  get: async (runtime: IAgentRuntime, message: Memory): Promise<ProviderResult> => {
    const data = { ...FIELDS, agentId: runtime.agentId, roomId: message.roomId, at: new Date().toISOString() };
    const lines = Object.entries(FIELDS).map(([key, value]) => \`- \${key}: \${JSON.stringify(value)}\`);
    return { text: [HEADER, ...lines].join('\\n'), values: { ...FIELDS }, data };
  },
};
`;
}

export function serviceSource(service: ServiceSpec): string {
  const methods = service.methods
    .map(
      (m) => `
  async ${m}(...args: unknown[]): Promise<ServiceCallResult> {
    return this.record(${lit(m)}, args);
  }`,
    )
    .join('\n');
  return `import { Service, type IAgentRuntime } from '@elizaos/core';

export interface ServiceCallResult {
  method: string;
  args: unknown[];
  call: number;
  at: string;
}

export class ${service.className} extends Service {
  static override serviceType = ${lit(service.serviceType)};
  override capabilityDescription = ${lit(service.description)};
  private running = false;
  private readonly calls: ServiceCallResult[] = [];

  static override async start(runtime: IAgentRuntime): Promise<${service.className}> {
    const service = new ${service.className}(runtime);
    service.running = true;
    return service;
  }

  override async stop(): Promise<void> {
    this.running = false;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get history(): readonly ServiceCallResult[] {
    return this.calls;
  }

  private record(method: string, args: unknown[]): ServiceCallResult {
    if (!this.running) throw new Error(\`${service.className}.\${method} was called after stop().\`);
    const result = { method, args, call: this.calls.length + 1, at: new Date().toISOString() };
    this.calls.push(result);
    return result;
  }
${methods}
}
`;
}

export function evaluatorSource(evaluator: EvaluatorSpec): string {
  const triggers = evaluator.triggers.length ? evaluator.triggers : [evaluator.name];
  return `import type { ActionResult, Evaluator, IAgentRuntime, Memory } from '@elizaos/core';

const TRIGGERS: string[] = [${triggers.map((t) => lit(t.toLowerCase())).join(', ')}];

function matches(message: Memory): string[] {
  const text = typeof message.content.text === 'string' ? message.content.text.toLowerCase() : '';
  return TRIGGERS.filter((trigger) => text.includes(trigger));
}

export const ${evaluator.identifier}Evaluator: Evaluator = {
  name: ${lit(evaluator.evaluatorName)},
  similes: [${lit(evaluator.name)}],
  description: ${lit(evaluator.description)},
  examples: [],
  validate: async (_runtime: IAgentRuntime, message: Memory): Promise<boolean> => matches(message).length > 0,
  handler: async (_runtime: IAgentRuntime, message: Memory): Promise<ActionResult> => {
    const matched = matches(message);
    return { success: matched.length > 0, text: \`Noticed: \${matched.join(', ')}\`, data: { matched } };
  },
};
`;
}
