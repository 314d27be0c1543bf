import type { PluginSpec } from '../../spec/plugin-spec.js';
import type { GeneratedFile, PluginGenerator } from '../generator.js';
import { actionBehaviour, actionSource, evaluatorSource, providerSource, serviceSource } from './component-templates.js';
import { kebab, lit } from './naming.js';
import { PARAMS_SOURCE, STORE_SOURCE, TEST_SUPPORT_SOURCE } from './support-templates.js';
import { actionTestSource, evaluatorTestSource, providerTestSource, serviceTestSource } from './test-templates.js';

function indexSource(spec: PluginSpec): string {
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
  return `${imports.join('\n')}

export const plugin: Plugin = {
  name: ${lit(spec.name)},
  description: ${lit(spec.description)},
  actions: [${spec.actions.map((a) => `${a.identifier}Action`).join(', ')}],
  providers: [${spec.providers.map((p) => `${p.identifier}Provider`).join(', ')}],
  evaluators: [${spec.evaluators.map((e) => `${e.identifier}Evaluator`).join(', ')}],
  services: [${spec.services.map((s) => s.className).join(', ')}],
};

export { ${named.join(', ')} };
export default plugin;
`;
}

/** Every file of a complete plugin for a specification: one file per component, one test each. */
export function templateFiles(spec: PluginSpec): GeneratedFile[] {
  const files: GeneratedFile[] = [
    { path: 'src/index.ts', content: indexSource(spec) },
    { path: 'src/__tests__/support.ts', content: TEST_SUPPORT_SOURCE },
  ];
  if (spec.actions.length) files.push({ path: 'src/params.ts', content: PARAMS_SOURCE });
  if (spec.actions.some((a) => actionBehaviour(a) !== 'answer')) files.push({ path: 'src/store.ts', content: STORE_SOURCE });
  for (const a of spec.actions) {
    files.push({ path: `src/actions/${kebab(a.identifier)}.ts`, content: actionSource(a, spec) });
    files.push({ path: `src/__tests__/${kebab(a.identifier)}.test.ts`, content: actionTestSource(a, spec) });
  }
  for (const p of spec.providers) {
    files.push({ path: `src/providers/${kebab(p.identifier)}.ts`, content: providerSource(p) });
    files.push({ path: `src/__tests__/${kebab(p.identifier)}.test.ts`, content: providerTestSource(p) });
  }
  for (const s of spec.services) {
    files.push({ path: `src/services/${kebab(s.identifier)}.ts`, content: serviceSource(s) });
    files.push({ path: `src/__tests__/${kebab(s.identifier)}.test.ts`, content: serviceTestSource(s) });
  }
  for (const e of spec.evaluators) {
    files.push({ path: `src/evaluators/${kebab(e.identifier)}.ts`, content: evaluatorSource(e) });
    files.push({ path: `src/__tests__/${kebab(e.identifier)}.test.ts`, content: evaluatorTestSource(e) });
  }
  return files;
}

/**
 * The offline generator: deterministic, no model, no network. Later iterations write the same
 * files again (a template has nothing to learn from feedback).
 */
export const templateGenerator: PluginGenerator = {
  kind: 'template',
  async generate(request) {
    request.signal?.throwIfAborted();
    return { files: templateFiles(request.spec) };
  },
};
