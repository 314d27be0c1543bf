// The functions both ends of the plugin host channel offer each other, in one place both read:
// the agent's TypeScript (src/management/host/protocol.ts re-exports them) and the host's worker,
// type-checked as JavaScript against this file (worker/tsconfig.json).

/** JSON data as it crosses the boundary. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A route's answer, recorded in the host by a stand-in response object. */
export interface RouteAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  sent: boolean;
}

/**
 * The plugin a host is given: its entry file (inside the sandbox), the agent, the character copy,
 * its own settings, and `egressSocket`, the egress proxy's socket inside the sandbox (the host routes
 * HTTP(S) through it before importing the plugin; absent, it has no network).
 */
export interface HostPluginGrant {
  entry: string;
  agentId: string;
  character: Json;
  settings: Record<string, string>;
  egressSocket?: string;
}

/** What the agent asks the host (agent → host). */
export interface HostFunctions {
  /** A cold host: started for this plugin, it imports it now. */
  hello(opts: HostPluginGrant): Promise<unknown>;
  /**
   * A spare host, started with nothing of any plugin: loads what every host needs (`preload`: module
   * specifiers resolved from the worker) and waits for its hand-off. Answers its resident memory.
   */
  warm(opts: { preload: string[] }): Promise<{ rssBytes: number }>;
  /** A warm host is given its one plugin (checked by its shape on both ends); answers as hello does. */
  handoff(opts: HostPluginGrant): Promise<unknown>;
  /** Runs the plugin's init; answers what it registered with runtime.register* meanwhile (checked by the agent). */
  init(config: Record<string, string>): Promise<unknown>;
  pushSettings(values: Record<string, string>): void;
  ping(): string;
  actionValidate(name: string, message: Json, state: Json): Promise<boolean>;
  actionHandler(name: string, message: Json, state: Json, options: Json, callbackId: string | null, responses: Json): Promise<unknown>;
  providerGet(name: string, message: Json, state: Json): Promise<unknown>;
  evaluatorValidate(name: string, message: Json, state: Json): Promise<boolean>;
  evaluatorHandler(name: string, message: Json, state: Json, options: Json, callbackId: string | null, responses: Json): Promise<unknown>;
  model(type: string, params: Json): Promise<unknown>;
  route(index: number, request: Json): Promise<unknown>;
  event(name: string, payload: Json): Promise<void>;
  taskValidate(name: string, message: Json, state: Json): Promise<boolean>;
  taskExecute(name: string, options: Json, task: Json): Promise<void>;
  serviceStart(type: string): Promise<unknown>;
  serviceCall(type: string, method: string, args: Json[]): Promise<unknown>;
  serviceStop(type: string): Promise<void>;
}

/** What the host asks the agent (host → agent). */
export interface AgentFunctions {
  forward(method: string, args: unknown): Promise<unknown>;
  callback(callbackId: string, content: unknown): Promise<unknown[]>;
  registerTaskWorker(name: string, hasValidate: boolean): Promise<void>;
  log(level: string, text: string): void;
}
