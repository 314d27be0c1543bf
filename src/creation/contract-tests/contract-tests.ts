import type { GeneratedFile } from '../generators/generator.js';
import type { ParameterSpec, PluginSpec } from '../spec/plugin-spec.js';
import { writeSourceFiles } from '../workspace/workspace-files.js';

export const CONTRACT_DIR = 'src/__contract__';

function sample(p: ParameterSpec): unknown {
  return { string: p.name === 'id' ? '1' : `sample ${p.name}`, number: 42, boolean: true, object: { key: 'value' }, array: ['one'] }[p.type];
}

/** What the contract checks, derived from the specification alone. */
function contractData(spec: PluginSpec) {
  return {
    name: spec.name,
    settings: Object.fromEntries(spec.environmentVariables.map((v) => [v.name, 'contract-value'])),
    actions: spec.actions.map((a) => ({
      name: a.actionName,
      requiresParameters: a.parameters.some((p) => p.required),
      parameters: Object.fromEntries(a.parameters.map((p) => [p.name, sample(p)])),
    })),
    providers: spec.providers.map((p) => p.providerName),
    services: spec.services.map((s) => ({ type: s.serviceType, methods: s.methods })),
    evaluators: spec.evaluators.map((e) => ({ name: e.evaluatorName, triggers: e.triggers.length ? e.triggers : [e.name] })),
  };
}

const SUPPORT = `import type { IAgentRuntime, Memory, UUID } from '@elizaos/core';

// A user talks to the agent: the message's entityId is never the agent's own id.
export const CONTRACT_USER_ID = '00000000-0000-0000-0000-00000000c0de' as UUID;
export const CONTRACT_AGENT_ID = '00000000-0000-0000-0000-0000000a9e17' as UUID;
const ROOM_ID = '00000000-0000-0000-0000-0000000000a1' as UUID;
const MESSAGE_ID = '00000000-0000-0000-0000-0000000000f1' as UUID;

export function contractMessage(text: string): Memory {
  return { id: MESSAGE_ID, entityId: CONTRACT_USER_ID, agentId: CONTRACT_AGENT_ID, roomId: ROOM_ID, content: { text }, createdAt: Date.now() };
}

export function contractRuntime(settings: Record<string, string>): IAgentRuntime {
  const logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return { agentId: CONTRACT_AGENT_ID, getSetting: (key: string) => settings[key] ?? null, logger } as unknown as IAgentRuntime;
}
`;

function contractTest(spec: PluginSpec): string {
  return `// Written by plugin-dynamic from the specification. Restored before every test run: edits are lost.
import type { Plugin } from '@elizaos/core';
import { describe, expect, it } from 'vitest';
import * as entry from '../index.js';
import { contractMessage, contractRuntime } from './support.js';

interface Contract {
  name: string;
  settings: Record<string, string>;
  actions: { name: string; requiresParameters: boolean; parameters: Record<string, unknown> }[];
  providers: string[];
  services: { type: string; methods: string[] }[];
  evaluators: { name: string; triggers: string[] }[];
}

const CONTRACT: Contract = ${JSON.stringify(contractData(spec), null, 2)};

const exported = entry as unknown as { plugin?: Plugin; default?: Plugin };
const plugin: Plugin = exported.plugin ?? exported.default ?? { name: '', description: '' };
const runtime = contractRuntime(CONTRACT.settings);

describe('contract: the plugin', () => {
  it('is exported as \`plugin\` or as the default export, with its name', () => {
    expect(plugin.name).toBe(CONTRACT.name);
    expect(typeof plugin.description).toBe('string');
  });

  for (const action of CONTRACT.actions) {
    describe(\`action \${action.name}\`, () => {
      const found = () => plugin.actions?.find((a) => a.name === action.name);
      it('is declared by the plugin', () => {
        expect(found()).toBeDefined();
      });
      if (action.requiresParameters) {
        it('refuses a call without its required parameters', async () => {
          const result = await found()?.handler(runtime, contractMessage(''), undefined, {});
          expect(result).toMatchObject({ success: false });
        });
      }
      it('answers a valid call with an ActionResult', async () => {
        const result = await found()?.handler(runtime, contractMessage(''), undefined, { parameters: action.parameters });
        expect(typeof result?.success).toBe('boolean');
      });
    });
  }

  for (const name of CONTRACT.providers) {
    it(\`provider \${name} returns text\`, async () => {
      const provider = plugin.providers?.find((p) => p.name === name);
      expect(provider).toBeDefined();
      const result = await provider?.get(runtime, contractMessage('hello'), { values: {}, data: {}, text: '' });
      expect(typeof result?.text).toBe('string');
    });
  }

  for (const service of CONTRACT.services) {
    it(\`service \${service.type} starts, has its methods and stops\`, async () => {
      const definition = plugin.services?.find((s) => s.serviceType === service.type);
      expect(definition).toBeDefined();
      const instance = await definition?.start(runtime);
      expect(instance).toBeDefined();
      for (const method of service.methods) {
        expect(typeof (instance as unknown as Record<string, unknown>)[method]).toBe('function');
      }
      await instance?.stop();
    });
  }

  for (const evaluator of CONTRACT.evaluators) {
    it(\`evaluator \${evaluator.name} runs on its triggers only\`, async () => {
      const found = plugin.evaluators?.find((e) => e.name === evaluator.name);
      expect(found).toBeDefined();
      for (const trigger of evaluator.triggers) {
        expect(await found?.validate(runtime, contractMessage(\`so \${trigger} then\`))).toBe(true);
      }
      expect(await found?.validate(runtime, contractMessage('zzz unrelated zzz'))).toBe(false);
    });
  }
});
`;
}

/** The tests a plugin must pass that its generator did not write. */
export function contractTestFiles(spec: PluginSpec): GeneratedFile[] {
  return [
    { path: `${CONTRACT_DIR}/support.ts`, content: SUPPORT },
    { path: `${CONTRACT_DIR}/contract.test.ts`, content: contractTest(spec) },
  ];
}

/** Writes the contract tests again, over whatever a generator put there. */
export async function restoreContractTests(workspaceDir: string, spec: PluginSpec): Promise<void> {
  await writeSourceFiles(workspaceDir, contractTestFiles(spec));
}
