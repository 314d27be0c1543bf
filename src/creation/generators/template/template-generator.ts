import type { PluginSpec } from '../../spec/plugin-spec.js';
import type { GeneratedFile, GenerationResult, PluginGenerator } from '../generator.js';
import { actionSource } from './action-templates.js';
import { evaluatorTestSource, monitorServiceTestSource, serviceTestSource } from './component-test-templates.js';
import { evaluatorSource, providerSource } from './component-templates.js';
import { kebab, lit } from './naming.js';
import { planPlugin, type ActionPlan, type PluginPlan, type ProviderPlan } from './recipes.js';
import { runtimeFiles, type RuntimeFile } from './runtime-files.js';
import { pluginInfoSource, pluginNameSource, scheduleNames, TEST_SUPPORT_SOURCE } from './support-templates.js';
import { monitorServiceSource, serviceSource } from './service-templates.js';
import { actionTestSource, providerTestSource } from './test-templates.js';

const ACTION_FILES: Record<ActionPlan['recipe'], RuntimeFile[]> = {
  records: ['records'], schedule: ['schedule'], conversion: ['units'], http: ['http'], time: ['clock'],
  random: ['random'], text: ['text-transforms'], scaffold: ['scaffold'],
};
const PROVIDER_FILES: Record<ProviderPlan['recipe'], RuntimeFile[]> = { records: ['records'], schedule: ['schedule'], time: ['clock'], http: [], conversion: ['units'], scaffold: [] };

function indexSource(spec: PluginSpec, plan: PluginPlan): string {
  const imports: string[] = ["import type { Plugin } from '@elizaos/core';"];
  const named: string[] = [];
  for (const a of spec.actions) {
    imports.push(`import { ${a.identifier}Action } from './actions/${kebab(a.identifier)}.js';`);
    named.push(`${a.identifier}Action`);
  }
  for (const p of spec.providers) {
    imports.push(`import { ${p.identifier}Provider } from './providers/${kebab(p.identifier)}.js';`);
    named.push(`${p.identifier}Provider`);
  }
  for (const s of spec.services) {
    imports.push(`import { ${s.className} } from './services/${kebab(s.identifier)}.js';`);
    named.push(s.className);
  }
  for (const e of spec.evaluators) {
    imports.push(`import { ${e.identifier}Evaluator } from './evaluators/${kebab(e.identifier)}.js';`);
    named.push(`${e.identifier}Evaluator`);
  }
  const services = spec.services.map((s) => s.className);
  if (plan.schedules) {
    imports.push(`import { SCHEDULE, SCHEDULER_SERVICE_TYPE } from './plugin-info.js';`, `import { schedulerService } from './schedule.js';`);
    services.push('ReminderScheduler');
  }
  return `${imports.join('\n')}
${plan.schedules ? '\n/** Fires reminders when they are due; they are tasks in the agent database, so they survive restarts. */\nexport const ReminderScheduler = schedulerService(SCHEDULE, SCHEDULER_SERVICE_TYPE);\n' : ''}
export const plugin: Plugin = {
  name: ${lit(spec.name)},
  description: ${lit(spec.description)},
  actions: [${spec.actions.map((a) => `${a.identifier}Action`).join(', ')}],
  providers: [${spec.providers.map((p) => `${p.identifier}Provider`).join(', ')}],
  evaluators: [${spec.evaluators.map((e) => `${e.identifier}Evaluator`).join(', ')}],
  services: [${services.join(', ')}],
};

export { ${named.join(', ')} };
export default plugin;
`;
}

/** Every file of a complete plugin for a specification: the recipes it uses, one file per component, tests. */
export function templateFiles(spec: PluginSpec): GeneratedFile[] {
  const plan = planPlugin(spec);
  const wanted = new Set<RuntimeFile>();
  if (spec.actions.length) wanted.add('params');
  for (const a of plan.actions.values()) ACTION_FILES[a.recipe].forEach((f) => wanted.add(f));
  for (const p of plan.providers.values()) PROVIDER_FILES[p.recipe].forEach((f) => wanted.add(f));
  if (plan.schedules) wanted.add('schedule');
  if ([...plan.services.values()].some((s) => s.recipe === 'monitor')) wanted.add('monitor');
  const files: GeneratedFile[] = [
    { path: 'src/index.ts', content: indexSource(spec, plan) },
    { path: 'src/plugin-info.ts', content: plan.schedules ? pluginInfoSource(spec) : pluginNameSource(spec) },
    { path: 'src/__tests__/support.ts', content: TEST_SUPPORT_SOURCE },
    ...runtimeFiles(wanted),
  ];
  for (const a of spec.actions) {
    const p = plan.actions.get(a.identifier) ?? { recipe: 'scaffold', reason: 'no recipe fits' };
    files.push({ path: `src/actions/${kebab(a.identifier)}.ts`, content: actionSource(a, p, spec) });
    files.push({ path: `src/__tests__/${kebab(a.identifier)}.test.ts`, content: actionTestSource(a, p, spec) });
  }
  for (const pr of spec.providers) {
    const p = plan.providers.get(pr.identifier) ?? { recipe: 'scaffold', reason: 'no recipe fits' };
    files.push({ path: `src/providers/${kebab(pr.identifier)}.ts`, content: providerSource(pr, p, spec) });
    files.push({ path: `src/__tests__/${kebab(pr.identifier)}.test.ts`, content: providerTestSource(pr, p, spec) });
  }
  for (const s of spec.services) {
    const p = plan.services.get(s.identifier);
    const monitor = p?.recipe === 'monitor' ? p : undefined;
    files.push({ path: `src/services/${kebab(s.identifier)}.ts`, content: monitor ? monitorServiceSource(s, monitor) : serviceSource(s, p) });
    files.push({ path: `src/__tests__/${kebab(s.identifier)}.test.ts`, content: monitor ? monitorServiceTestSource(s, monitor) : serviceTestSource(s, p, spec) });
  }
  for (const e of spec.evaluators) {
    files.push({ path: `src/evaluators/${kebab(e.identifier)}.ts`, content: evaluatorSource(e) });
    files.push({ path: `src/__tests__/${kebab(e.identifier)}.test.ts`, content: evaluatorTestSource(e) });
  }
  return files;
}

/**
 * What the template's code needs beyond the specification's permissions: reminders are tasks named
 * after the plugin's schedule tag, and a fired reminder is posted to the room it was set in.
 */
export function templatePermissions(spec: PluginSpec): GenerationResult['permissions'] {
  if (!planPlugin(spec).schedules) return undefined;
  return { taskWorkers: [scheduleNames(spec).tag], postToRooms: true };
}

/**
 * The offline generator: deterministic, no model, no network. A failing gate ends the job after
 * its first iteration (a template has nothing to learn from feedback).
 */
export const templateGenerator: PluginGenerator = {
  kind: 'template',
  deterministic: true,
  async generate(request) {
    request.signal?.throwIfAborted();
    const permissions = templatePermissions(request.spec);
    return { files: templateFiles(request.spec), ...(permissions ? { permissions } : {}) };
  },
};
