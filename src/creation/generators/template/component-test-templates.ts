import type { ActionSpec, EvaluatorSpec, PluginSpec, ServiceSpec } from '../../spec/plugin-spec.js';
import { kebab, lit } from './naming.js';
import type { ServicePlan } from './recipes.js';
import { settingsLiteral } from './test-templates.js';

/** Tests of a service: its lifecycle, the methods an action serves, and the honest scaffolds. */
export function serviceTestSource(service: ServiceSpec, plan: ServicePlan | undefined, spec: PluginSpec): string {
  const served = plan?.recipe === 'actions' ? plan.methods : [];
  const scaffold = service.methods.find((m) => !served.some((p) => p.method === m));
  const actionOf = (id: string): ActionSpec | undefined => spec.actions.find((a) => a.identifier === id);
  const imports = [...new Set(served.map((p) => p.action))].map((a) => `import { ${a}Action } from '../actions/${kebab(a)}.js';`);
  const settings = settingsLiteral(spec);
  const calls = served
    .map(
      (p) => `

  it(${lit(`serves ${p.method} with the ${actionOf(p.action)?.actionName ?? p.action} action`)}, async () => {
    const service = await ${service.className}.start(testRuntime(${settings}));
    const viaService = await service.${p.method}(testMessage('do it'));
    const viaAction = await ${p.action}Action.handler(testRuntime(${settings}), testMessage('do it'), undefined, {});
    expect(viaService.success).toBe(viaAction?.success);
    expect(typeof viaService.text).toBe('string');
    await service.stop();
  });`,
    )
    .join('');
  const open = scaffold
    ? `

  it('says the methods no recipe serves are not implemented yet', async () => {
    const service = await ${service.className}.start(testRuntime());
    await expect(service.${scaffold}()).rejects.toThrow('not implemented yet');
    await service.stop();
  });`
    : '';
  return `import { describe, expect, it } from 'vitest';
import { ${service.className} } from '../services/${kebab(service.identifier)}.js';
${imports.join('\n')}${imports.length ? '\n' : ''}import { ${served.length ? 'testMessage, ' : ''}testRuntime } from './support.js';

describe(${lit(service.className)}, () => {
  it('starts running and stops', async () => {
    const service = await ${service.className}.start(testRuntime());
    expect(service.isRunning).toBe(true);
    await service.stop();
    expect(service.isRunning).toBe(false);
  });${calls}${open}
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

export function monitorServiceTestSource(service: ServiceSpec, plan: { urlSetting: string }): string {
  const check = service.methods.find((m) => /^(check|poll|ping|run|refresh|fetch|update|probe|test)/i.test(m));
  const status = service.methods.find((m) => /^(status|last|get|report|result|state|health)/i.test(m));
  const calls = check
    ? `

  it('checks the address now and keeps the result', async () => {
    const runtime = testRuntime({ ${plan.urlSetting}: 'http://127.0.0.1:9' });
    const service = await ${service.className}.start(runtime);
    const result = await service.${check}();
    expect(result).toMatchObject({ ok: false, status: null });${status ? `
    expect(await service.${status}()).toMatchObject({ ok: false });` : ''}
    await service.stop();
  });`
    : '';
  return `import { describe, expect, it } from 'vitest';
import { ${service.className} } from '../services/${kebab(service.identifier)}.js';
import { testRuntime } from './support.js';

describe(${lit(service.className)}, () => {
  it('starts checking on an interval and stops', async () => {
    const service = await ${service.className}.start(testRuntime());
    expect(service.isRunning).toBe(true);
    await service.stop();
    expect(service.isRunning).toBe(false);
  });${calls}
});
`;
}
