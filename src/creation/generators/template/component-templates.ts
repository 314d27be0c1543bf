import type { EvaluatorSpec, PluginSpec, ProviderSpec } from '../../spec/plugin-spec.js';
import { lit } from './naming.js';
import type { ProviderPlan } from './recipes.js';

/** What each provider recipe reads, as the body of a function returning the provider's text. */
function providerBody(plan: ProviderPlan, spec: PluginSpec): { imports: string[]; body: string } {
  switch (plan.recipe) {
    case 'records':
      return {
        imports: [`import { PLUGIN_NAME } from '../plugin-info.js';`, `import { describeRecord, listRecords } from '../records.js';`],
        body: `  const records = await listRecords(runtime, message, { plugin: PLUGIN_NAME, noun: ${lit(plan.noun)}, scope: ${lit(plan.scope)} });
  const lines = records.slice(-20).map(describeRecord);
  return { text: records.length ? \`\${HEADER}\\n\${records.length} ${plan.noun}(s):\\n\${lines.join('\\n')}\` : \`\${HEADER}\\nNo ${plan.noun}s yet.\`, values: { count: records.length }, data: { records } };`,
      };
    case 'schedule':
      return {
        imports: [`import { SCHEDULE } from '../plugin-info.js';`, `import { listReminders } from '../schedule.js';`],
        body: `  const outcome = await listReminders(runtime, message, SCHEDULE);
  return { text: \`\${HEADER}\\n\${outcome.text}\`, values: {}, data: outcome.data ?? {} };`,
      };
    case 'time': {
      const zone = spec.environmentVariables.find((v) => /(TIMEZONE|TIME_ZONE|TZ)$/.test(v.name))?.name;
      return {
        imports: [`import { nowIn } from '../clock.js';`],
        body: `  const setting = ${zone ? `runtime.getSetting(${lit(zone)})` : 'undefined'};
  const now = nowIn(typeof setting === 'string' && setting ? setting : 'UTC');
  void message;
  return { text: \`\${HEADER}\\nNow: \${now.weekday} \${now.date} \${now.time} (\${now.zone})\`, values: { ...now }, data: { ...now } };`,
      };
    }
    case 'http':
      return {
        imports: [`import { PLUGIN_NAME } from '../plugin-info.js';`],
        body: `  const last = await runtime.getCache<{ text: string; at: string }>(PLUGIN_NAME + '/http/last/' + String(message.roomId));
  return last ? { text: \`\${HEADER}\\nLatest answer (\${last.at}):\\n\${last.text}\`, values: { at: last.at }, data: { ...last } } : { text: '', values: {}, data: {} };`,
      };
    case 'conversion':
      return {
        imports: [`import { supportedUnits } from '../units.js';`],
        body: `  const known = supportedUnits();
  void runtime;
  void message;
  return { text: \`\${HEADER}\\nUnits I convert between:\\n\${known.text}\`, values: { dimensions: Object.keys(known.units).join(', ') }, data: { units: known.units } };`,
      };
    case 'scaffold':
      return {
        imports: [],
        body: `  // Not implemented yet (${plan.reason}): it adds nothing to the agent's context rather than made-up values.
  void runtime;
  void message;
  return { text: '', values: {}, data: { implemented: false } };`,
      };
  }
}

export function providerSource(provider: ProviderSpec, plan: ProviderPlan, spec: PluginSpec): string {
  const { imports, body } = providerBody(plan, spec);
  return `import type { IAgentRuntime, Memory, Provider, ProviderResult } from '@elizaos/core';
${imports.join('\n')}

${body.includes('HEADER') ? `const HEADER = ${lit(`# ${provider.providerName}`)};
` : ''}
async function read(runtime: IAgentRuntime, message: Memory): Promise<ProviderResult> {
${body}
}

export const ${provider.identifier}Provider: Provider = {
  name: ${lit(provider.providerName)},
  description: ${lit(provider.description)},
  get: async (runtime: IAgentRuntime, message: Memory): Promise<ProviderResult> => {
    try {
      return await read(runtime, message);
    } catch (error) {
      // A provider that throws breaks the agent's whole reply: report nothing instead.
      runtime.logger.warn({ src: ${lit(spec.name)} }, ${lit(`${provider.providerName} failed: `)} + (error instanceof Error ? error.message : String(error)));
      return { text: '', values: {}, data: {} };
    }
  },
};
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
