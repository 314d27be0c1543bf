import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelType, type Character, type IAgentRuntime, type Plugin } from '@elizaos/core';
import { AgentServer } from '@elizaos/server';
import { pluginDynamic } from '../../src/index.js';
import type { ScriptedModel } from './runtime.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../../src/service-types.js';

/*
 * The real ElizaOS 1.7.2 server (`@elizaos/server`, the one `elizaos start` runs), started in this
 * process from Node: its Express app, its API key check, its plugin route handler and the web client
 * it serves at `/`. One agent with plugin-dynamic (the server adds plugin-sql itself), on 127.0.0.1
 * and a free port, with its PGLite database in a temp folder.
 */

export interface RealAgentServer {
  /** The server, e.g. "http://127.0.0.1:41234": the web client is served at `/`. */
  url: string;
  /** The plugin's address as the web client and the CLI see it: .../api/agents/<id>/plugins/plugin-dynamic. */
  pluginUrl: string;
  agentId: string;
  runtime: IAgentRuntime;
  dataDir: string;
  /** Every prompt the scripted model received, in order (empty without `model`). */
  prompts: string[];
  /** Stops the agent, the HTTP server and the database; removes the data folder. Idempotent. */
  close: () => Promise<void>;
}

export interface RealAgentServerOptions {
  agentName?: string;
  /** Character settings (plugin-dynamic reads its own from here). */
  settings?: Record<string, string>;
  /** A scripted TEXT_LARGE / TEXT_SMALL model, registered as a plugin of the agent. */
  model?: ScriptedModel;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A model plugin whose text models answer from a script: the only fake part of the agent. */
function scriptedModelPlugin(model: ScriptedModel, prompts: string[]): Plugin {
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
  return {
    name: 'scripted-test-model',
    description: 'Answers TEXT_LARGE and TEXT_SMALL from a test script.',
    priority: 100,
    models: { [ModelType.TEXT_LARGE]: handler, [ModelType.TEXT_SMALL]: handler },
  };
}

/**
 * Starts the real server with one agent running plugin-dynamic and waits until its services are up.
 * The server reads `ELIZA_SERVER_AUTH_TOKEN` from the environment on every request, so a test turns
 * the API key on and off by setting that variable.
 */
export async function startRealAgentServer(options: RealAgentServerOptions = {}): Promise<RealAgentServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pd-real-server-'));
  const port = await freePort();
  // The server listens on SERVER_HOST (0.0.0.0 by default): tests stay on the loopback interface.
  process.env['SERVER_HOST'] = '127.0.0.1';
  const prompts: string[] = [];
  const name = options.agentName ?? 'PluginBuilder';
  const character: Character = {
    name,
    bio: ['An agent that manages and creates its own plugins.'],
    settings: {
      PGLITE_DATA_DIR: join(dataDir, 'db'),
      PLUGIN_DYNAMIC_DATA_DIR: join(dataDir, 'plugin-dynamic'),
      // No spare plugin host unless a test is about it (test/integration/host/warm-host.test.ts).
      PLUGIN_DYNAMIC_WARM_HOST: 'off',
      // No warm spare toolchain unless a test is about it: it costs a checker and a test runner per agent.
      PLUGIN_DYNAMIC_WARM_TOOLCHAIN: 'off',
      ...options.settings,
    },
    secrets: {},
  };
  const plugins: Plugin[] = [pluginDynamic, ...(options.model ? [scriptedModelPlugin(options.model, prompts)] : [])];
  const server = new AgentServer();
  await server.start({ port, dataDir: join(dataDir, 'db'), agents: [{ character, plugins }] });
  const runtime = server.getAllAgents()[0];
  if (!runtime) throw new Error('The real server started no agent.');
  await Promise.all([runtime.getServiceLoadPromise(PLUGIN_MANAGEMENT_SERVICE), runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)]);
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // The reverse of start: the agent, then the sockets and HTTP server, then the database.
      await server.stopAgents([runtime.agentId]).catch(() => undefined);
      await new Promise<void>((resolve) => {
        void server.socketIO?.close();
        server.server.closeAllConnections();
        server.server.close(() => resolve());
      });
      await server.database.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };
  return {
    url,
    pluginUrl: `${url}/api/agents/${runtime.agentId}/plugins/plugin-dynamic`,
    agentId: runtime.agentId,
    runtime,
    dataDir,
    prompts,
    close,
  };
}
