import type { EvaluatorSpec, PluginSpec, ProviderSpec, ServiceSpec } from '../../spec/plugin-spec.js';
import { kebab, lit } from './naming.js';
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

/** A service no recipe covers: a real lifecycle, and methods that say they are not implemented. */
export function serviceSource(service: ServiceSpec): string {
  const file = `src/services/${kebab(service.identifier)}.ts`;
  const methods = service.methods
    .map(
      (m) => `
  // Not implemented yet: write what ${m} does here.
  async ${m}(..._args: unknown[]): Promise<never> {
    throw new Error(notImplemented(${lit(m)}));
  }`,
    )
    .join('\n');
  return `import { Service, type IAgentRuntime } from '@elizaos/core';

function notImplemented(method: string): string {
  return ${lit(service.className)} + '.' + method + ' is not implemented yet: write it in ' + ${lit(file)} + ', or create the plugin again with a model.';
}

export class ${service.className} extends Service {
  static override serviceType = ${lit(service.serviceType)};
  override capabilityDescription = ${lit(service.description)};
  private running = false;

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

/** A monitor: checks the configured address on an interval and answers check/status methods. */
export function monitorServiceSource(service: ServiceSpec, plan: { urlSetting: string; everyMs: number }): string {
  const file = `src/services/${kebab(service.identifier)}.ts`;
  const methods = service.methods
    .map((m) => {
      if (/^(check|poll|ping|run|refresh|fetch|update|probe|test)/i.test(m)) return `\n  async ${m}(): Promise<MonitorStatus> {\n    return checkNow(this.runtime, MONITOR);\n  }`;
      if (/^(status|last|get|report|result|state|health)/i.test(m)) return `\n  async ${m}(): Promise<MonitorStatus | null> {\n    return lastStatus(this.runtime, MONITOR);\n  }`;
      return `\n  // Not implemented yet: write what ${m} does here.\n  async ${m}(..._args: unknown[]): Promise<never> {\n    throw new Error(${lit(`${service.className}.${m} is not implemented yet: write it in ${file}, or create the plugin again with a model.`)});\n  }`;
    })
    .join('\n');
  return `import { Service, type IAgentRuntime } from '@elizaos/core';
import { checkNow, lastStatus, type MonitorConfig, type MonitorStatus } from '../monitor.js';
import { PLUGIN_NAME } from '../plugin-info.js';

const MONITOR: MonitorConfig = { plugin: PLUGIN_NAME, urlSetting: ${lit(plan.urlSetting)}, everyMs: ${plan.everyMs} };

export class ${service.className} extends Service {
  static override serviceType = ${lit(service.serviceType)};
  override capabilityDescription = ${lit(service.description)};
  private timer: ReturnType<typeof setInterval> | undefined;
  private checking: Promise<unknown> = Promise.resolve();

  static override async start(runtime: IAgentRuntime): Promise<${service.className}> {
    const service = new ${service.className}(runtime);
    service.timer = setInterval(() => {
      service.checking = service.checking.then(() => checkNow(runtime, MONITOR)).catch(() => undefined);
    }, MONITOR.everyMs);
    service.timer.unref();
    return service;
  }

  override async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.checking;
  }

  get isRunning(): boolean {
    return this.timer !== undefined;
  }
${methods}
}
`;
}
