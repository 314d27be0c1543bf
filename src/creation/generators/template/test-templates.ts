import type { ActionSpec, EvaluatorSpec, ParameterSpec, PluginSpec, ProviderSpec, ServiceSpec } from '../../spec/plugin-spec.js';
import { actionBehaviour } from './component-templates.js';
import { kebab, lit } from './naming.js';

/** A value of the declared type, as TypeScript source. */
export function sampleValue(p: ParameterSpec): string {
  switch (p.type) {
    case 'number':
      return '42';
    case 'boolean':
      return 'true';
    case 'object':
      return "{ key: 'value' }";
    case 'array':
      return "['first', 'second']";
    case 'string':
      return lit(p.name === 'id' ? '1' : `sample ${p.name}`);
  }
}

export function settingsLiteral(spec: PluginSpec): string {
  return `{ ${spec.environmentVariables.map((v) => `${v.name}: 'test-value'`).join(', ')} }`;
}

export function actionTestSource(action: ActionSpec, spec: PluginSpec): string {
  const id = `${action.identifier}Action`;
  const params = `{ ${action.parameters.map((p) => `${p.name}: ${sampleValue(p)}`).join(', ')} }`;
  const required = action.parameters.filter((p) => p.required);
  const behaviour = actionBehaviour(action);
  const storeNames = { add: 'clearItems', remove: 'addItem, clearItems', list: 'addItem, clearItems', answer: '' }[behaviour];
  const store = storeNames ? `import { ${storeNames} } from '../store.js';\n` : '';
  const reset = behaviour === 'answer' ? '' : '  beforeEach(() => clearItems());\n';
  const behaviourTest: Record<typeof behaviour, string> = {
    add: `  it('stores what it was given and says so', async () => {
    const result = await ${id}.handler(runtime, testMessage(''), undefined, { parameters: ${params} });
    expect(result).toMatchObject({ success: true });
    expect(result?.text).toContain('#1');
  });`,
    remove: `  it('removes an existing item and refuses an unknown one', async () => {
    addItem({ text: 'first' });
    const removed = await ${id}.handler(runtime, testMessage(''), undefined, { parameters: ${params} });
    expect(removed).toMatchObject({ success: true });
    const again = await ${id}.handler(runtime, testMessage(''), undefined, { parameters: ${params} });
    expect(again).toMatchObject({ success: false });
  });`,
    list: `  it('lists the stored items', async () => {
    addItem({ text: 'milk' });
    const result = await ${id}.handler(runtime, testMessage(''), undefined, { parameters: ${params} });
    expect(result?.text).toContain('milk');
  });`,
    answer: `  it('answers with the parameters it understood', async () => {
    const replies: string[] = [];
    const result = await ${id}.handler(runtime, testMessage(''), undefined, { parameters: ${params} }, async (content) => {
      replies.push(content.text ?? '');
      return [];
    });
    expect(result).toMatchObject({ success: true });
    expect(replies).toHaveLength(1);${action.parameters[0] ? `\n    expect(result?.text).toContain(${lit(action.parameters[0].name)});` : ''}
  });`,
  };
  const missing = required.length
    ? `
  it('asks for a missing required parameter instead of guessing', async () => {
    const result = await ${id}.handler(runtime, testMessage(''), undefined, {});
    expect(result).toMatchObject({ success: false });
    expect(result?.text).toContain(${lit(required[0]?.name ?? '')});
  });

  it('reads parameters from JSON in the message', async () => {${behaviour === 'remove' ? "\n    addItem({ text: 'first' });" : ''}
    const result = await ${id}.handler(runtime, testMessage(JSON.stringify(${params})), undefined, {});
    expect(result?.success).toBe(true);
  });`
    : '';
  const settings = spec.environmentVariables.some((v) => v.required)
    ? `
  it('refuses to run without its required settings', async () => {
    const result = await ${id}.handler(testRuntime(), testMessage(''), undefined, { parameters: ${params} });
    expect(result).toMatchObject({ success: false });
  });`
    : '';
  return `import { ${behaviour === 'answer' ? '' : 'beforeEach, '}describe, expect, it } from 'vitest';
import { ${id} } from '../actions/${kebab(action.identifier)}.js';
${store}import { testMessage, testRuntime } from './support.js';

const runtime = testRuntime(${settingsLiteral(spec)});

describe(${lit(action.actionName)}, () => {
${reset}${behaviourTest[behaviour]}
${missing}${settings}
});
`;
}

export function providerTestSource(provider: ProviderSpec): string {
  const id = `${provider.identifier}Provider`;
  const field = Object.keys(provider.dataStructure ?? { summary: '' })[0] ?? 'summary';
  return `import { describe, expect, it } from 'vitest';
import { ${id} } from '../providers/${kebab(provider.identifier)}.js';
import { testMessage, testRuntime } from './support.js';

describe(${lit(provider.providerName)}, () => {
  it('describes its data as text and as values', async () => {
    const result = await ${id}.get(testRuntime(), testMessage('hello'), { values: {}, data: {}, text: '' });
    expect(result.text).toContain(${lit(field)});
    expect(result.values).toHaveProperty(${lit(field)});
  });
});
`;
}

export function serviceTestSource(service: ServiceSpec): string {
  const method = service.methods[0];
  const call = method
    ? `
  it('answers its methods while running and refuses them after stop', async () => {
    const service = await ${service.className}.start(testRuntime());
    const result = await service.${method}('x');
    expect(result).toMatchObject({ method: ${lit(method)}, call: 1 });
    await service.stop();
    await expect(service.${method}()).rejects.toThrow('after stop');
  });`
    : '';
  return `import { describe, expect, it } from 'vitest';
import { ${service.className} } from '../services/${kebab(service.identifier)}.js';
import { testRuntime } from './support.js';

describe(${lit(service.className)}, () => {
  it('starts running and stops', async () => {
    const service = await ${service.className}.start(testRuntime());
    expect(service.isRunning).toBe(true);
    await service.stop();
    expect(service.isRunning).toBe(false);
  });
${call}
});
`;
}

export function evaluatorTestSource(evaluator: EvaluatorSpec): string {
  const id = `${evaluator.identifier}Evaluator`;
  const trigger = (evaluator.triggers[0] ?? evaluator.name).toLowerCase();
  return `import { describe, expect, it } from 'vitest';
import { ${id} } from '../evaluators/${kebab(evaluator.identifier)}.js';
import { testMessage, testRuntime } from './support.js';

describe(${lit(evaluator.evaluatorName)}, () => {
  it('runs for a message with a trigger and not for others', async () => {
    expect(await ${id}.validate(testRuntime(), testMessage(${lit(`Please ${trigger} now`)}))).toBe(true);
    expect(await ${id}.validate(testRuntime(), testMessage('nothing relevant here'))).toBe(false);
  });

  it('reports which trigger it noticed', async () => {
    const result = await ${id}.handler(testRuntime(), testMessage(${lit(`${trigger}!`)}));
    expect(result).toMatchObject({ success: true, data: { matched: [${lit(trigger)}] } });
  });
});
`;
}
