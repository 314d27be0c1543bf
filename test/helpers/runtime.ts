import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentRuntime,
  ModelType,
  stringToUuid,
  type Character,
  type IAgentRuntime,
  type Plugin,
} from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { seedDatabase } from '../../src/cli/db-template.js';

/** A scripted language model: answers in order, or computed from the prompt. */
export type ScriptedModel = string[] | ((prompt: string, call: number) => string | Promise<string>);

export interface TestRuntimeOptions {
  /** Reuse a folder (to test restarts); a fresh temp folder otherwise. */
  dataDir?: string;
  plugins?: Plugin[];
  settings?: Record<string, string>;
  secrets?: Record<string, string>;
  /** Registers TEXT_LARGE and TEXT_SMALL handlers that answer from this script. */
  model?: ScriptedModel;
  agentName?: string;
}

export interface TestRuntime {
  runtime: AgentRuntime;
  dataDir: string;
  /** Every prompt the scripted model received, in order. */
  prompts: string[];
  /**
   * Stops the runtime; removes the data folder unless `keepData`. Idempotent. `restartable` leaves
   * the process's one PGLite instance open, so a new runtime on the same folder can start in this
   * process (a closed PGLite cannot be reopened in-process).
   */
  cleanup: (options?: { keepData?: boolean; restartable?: boolean }) => Promise<void>;
}

/**
 * A real AgentRuntime on PGLite in a temp folder: plugin-sql registered, migrations run, then
 * initialize(). One PGLite instance per process, so use one data folder per test file.
 */
export async function createTestRuntime(options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'plugin-dynamic-test-')));
  const name = options.agentName ?? 'TestAgent';
  const character: Character = {
    name,
    bio: ['An agent used in plugin-dynamic tests.'],
    settings: {
      PGLITE_DATA_DIR: join(dataDir, 'db'),
      PLUGIN_DYNAMIC_DATA_DIR: join(dataDir, 'plugin-dynamic'),
      // A spare plugin host is started only by the tests about it (test/integration/host/warm-host.test.ts).
      PLUGIN_DYNAMIC_WARM_HOST: 'off',
      // No warm spare toolchain unless a test is about it: it costs a checker and a test runner per runtime.
      PLUGIN_DYNAMIC_WARM_TOOLCHAIN: 'off',
      ...options.settings,
    },
    secrets: { ...options.secrets },
  };
  // As the CLI does: a fresh folder starts from the build's migrated template (PGLite only).
  if (!options.settings?.['POSTGRES_URL']) await seedDatabase(join(dataDir, 'db'));
  const runtime = new AgentRuntime({ character, agentId: stringToUuid(name) });
  await runtime.registerPlugin(sqlPlugin);
  await runtime.runPluginMigrations();
  for (const plugin of options.plugins ?? []) {
    await runtime.registerPlugin(plugin);
  }
  await runtime.initialize();

  const prompts: string[] = [];
  if (options.model) scriptModel(runtime, options.model, prompts);

  let closing: Promise<void> | undefined;
  const cleanup = (opts: { keepData?: boolean; restartable?: boolean } = {}): Promise<void> => {
    closing ??= (async () => {
      // The runtime writes model-call logs without awaiting them; a query queued behind them lets
      // them finish before the database closes.
      await runtime.getCache('plugin-dynamic:test:flush');
      await runtime.stop();
      if (!opts.restartable) await runtime.close?.();
      if (!opts.keepData && !options.dataDir) await rm(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };
  return { runtime, dataDir, prompts, cleanup };
}

/** Registers a scripted handler for the text models, recording every prompt. */
export function scriptModel(runtime: IAgentRuntime, model: ScriptedModel, prompts: string[] = []): string[] {
  let call = 0;
  const handler = async (_rt: IAgentRuntime, params: Record<string, unknown>): Promise<string> => {
    const prompt = typeof params['prompt'] === 'string' ? params['prompt'] : JSON.stringify(params);
    prompts.push(prompt);
    const index = call++;
    if (typeof model === 'function') return model(prompt, index);
    const answer = model[Math.min(index, model.length - 1)];
    if (answer === undefined) throw new Error('The scripted model has no answers.');
    return answer;
  };
  runtime.registerModel(ModelType.TEXT_LARGE, handler, 'scripted-test-model', 100);
  runtime.registerModel(ModelType.TEXT_SMALL, handler, 'scripted-test-model', 100);
  return prompts;
}
