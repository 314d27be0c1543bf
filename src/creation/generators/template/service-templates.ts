import type { ServiceSpec } from '../../spec/plugin-spec.js';
import { kebab, lit } from './naming.js';
import type { ServicePlan } from './recipes.js';

const CHECKS = /^(check|poll|ping|run|refresh|fetch|update|probe|test)/i;
const STATUS = /^(status|last|get|report|result|state|health)/i;

function scaffoldMethod(service: ServiceSpec, method: string): string {
  return `
  // Not implemented yet: write what ${method} does here.
  async ${method}(..._args: unknown[]): Promise<never> {
    throw new Error(${lit(`${service.className}.${method} is not implemented yet: write it in src/services/${kebab(service.identifier)}.ts, or create the plugin again with a model.`)});
  }`;
}

/**
 * A service with a real lifecycle. Methods an action's recipe serves call that action (same recipe,
 * same records or reminders); the others say they are not implemented yet.
 */
export function serviceSource(service: ServiceSpec, plan: ServicePlan | undefined): string {
  const served = plan?.recipe === 'actions' ? plan.methods : [];
  const actions = [...new Set(served.map((m) => m.action))];
  const imports = actions.map((a) => `import { ${a}Action } from '../actions/${kebab(a)}.js';`);
  const methods = service.methods
    .map((m) => {
      const action = served.find((p) => p.method === m)?.action;
      if (!action) return scaffoldMethod(service, m);
      return `
  /** Does what the ${action} action does, for code that holds a message rather than a conversation. */
  async ${m}(message: Memory, parameters: Record<string, unknown> = {}): Promise<ActionResult> {
    const result = await ${action}Action.handler(this.runtime, message, undefined, { parameters });
    return result ?? { success: false, text: 'No answer.' };
  }`;
    })
    .join('\n');
  const types = served.length ? 'type ActionResult, type IAgentRuntime, type Memory' : 'type IAgentRuntime';
  return `import { Service, ${types} } from '@elizaos/core';
${imports.join('\n')}${imports.length ? '\n' : ''}
export class ${service.className} extends Service {
  static override serviceType = ${lit(service.serviceType)};
  override capabilityDescription = ${lit(service.description)};
  #running = false;

  static override async start(runtime: IAgentRuntime): Promise<${service.className}> {
    const service = new ${service.className}(runtime);
    service.#running = true;
    return service;
  }

  override async stop(): Promise<void> {
    this.#running = false;
  }

  get isRunning(): boolean {
    return this.#running;
  }
${methods}
}
`;
}

/** A monitor: checks the configured address on an interval and answers check/status methods. */
export function monitorServiceSource(service: ServiceSpec, plan: { urlSetting: string; everyMs: number }): string {
  const methods = service.methods
    .map((m) => {
      if (CHECKS.test(m)) return `\n  async ${m}(): Promise<MonitorStatus> {\n    return checkNow(this.runtime, MONITOR);\n  }`;
      if (STATUS.test(m)) return `\n  async ${m}(): Promise<MonitorStatus | null> {\n    return lastStatus(this.runtime, MONITOR);\n  }`;
      return scaffoldMethod(service, m);
    })
    .join('\n');
  const used = ['checkNow', ...(service.methods.some((m) => !CHECKS.test(m) && STATUS.test(m)) ? ['lastStatus'] : []), 'type MonitorConfig', ...(service.methods.some((m) => CHECKS.test(m) || STATUS.test(m)) ? ['type MonitorStatus'] : [])];
  return `import { Service, type IAgentRuntime } from '@elizaos/core';
import { ${used.join(', ')} } from '../monitor.js';
import { PLUGIN_NAME } from '../plugin-info.js';

const MONITOR: MonitorConfig = { plugin: PLUGIN_NAME, urlSetting: ${lit(plan.urlSetting)}, everyMs: ${plan.everyMs} };

export class ${service.className} extends Service {
  static override serviceType = ${lit(service.serviceType)};
  override capabilityDescription = ${lit(service.description)};
  #timer: ReturnType<typeof setInterval> | undefined;
  #checking: Promise<unknown> = Promise.resolve();

  static override async start(runtime: IAgentRuntime): Promise<${service.className}> {
    const service = new ${service.className}(runtime);
    service.#timer = setInterval(() => {
      service.#checking = service.#checking.then(() => checkNow(runtime, MONITOR)).catch(() => undefined);
    }, MONITOR.everyMs);
    service.#timer.unref();
    return service;
  }

  override async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#checking;
  }

  get isRunning(): boolean {
    return this.#timer !== undefined;
  }
${methods}
}
`;
}
