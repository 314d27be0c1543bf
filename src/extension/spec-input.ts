import type { PluginSpec } from '../creation/spec/plugin-spec.js';

/**
 * A parsed specification written back in the form parsePluginSpec reads, so that the one an offer
 * showed can be stored as plain JSON and parsed again, unchanged, when the person says yes.
 */
export function specInput(spec: PluginSpec): Record<string, unknown> {
  return {
    name: spec.name,
    description: spec.description,
    version: spec.version,
    actions: spec.actions.map((a) => ({
      name: a.name,
      description: a.description,
      parameters: a.parameters.map((p) => ({ name: p.name, type: p.type, required: p.required, ...(p.description === undefined ? {} : { description: p.description }) })),
    })),
    providers: spec.providers.map((p) => ({ name: p.name, description: p.description, ...(p.dataStructure ? { dataStructure: p.dataStructure } : {}) })),
    services: spec.services.map((s) => ({ name: s.name, description: s.description, methods: s.methods })),
    evaluators: spec.evaluators.map((e) => ({ name: e.name, description: e.description, triggers: e.triggers })),
    dependencies: spec.dependencies,
    environmentVariables: spec.environmentVariables.map((e) => ({ name: e.name, description: e.description, required: e.required, sensitive: e.sensitive })),
    permissions: spec.permissions,
  };
}

/** One line per component of a specification, for an offer. */
export function specSummary(spec: PluginSpec): string[] {
  return [
    ...spec.actions.map((a) => `action ${a.actionName}${a.parameters.length ? `(${a.parameters.map((p) => `${p.name}${p.required ? '' : '?'}`).join(', ')})` : ''}: ${a.description}`),
    ...spec.providers.map((p) => `provider ${p.providerName}: ${p.description}`),
    ...spec.services.map((s) => `service ${s.className}: ${s.description}`),
    ...spec.evaluators.map((e) => `evaluator ${e.evaluatorName}: ${e.description}`),
  ].map((line) => line.slice(0, 300)).slice(0, 25);
}
