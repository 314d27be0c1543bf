import type { IAgentRuntime } from '@elizaos/core';
import type { EgressProxyOptions } from '../../shared/sandbox/egress-proxy.js';

/**
 * Test only: lets the egress proxies of one runtime's isolated plugins reach fixture servers on
 * 127.0.0.1 (a resolver for the test host names, and loopback allowed). No setting reaches this:
 * only code that holds the runtime object can set it, and production code never does.
 */
export type EgressTestHooks = Pick<EgressProxyOptions, 'resolveHost' | 'allowPrivateAddresses'>;

const hooks = new WeakMap<IAgentRuntime, EgressTestHooks>();

export function setEgressTestHooks(runtime: IAgentRuntime, value: EgressTestHooks | undefined): void {
  if (value) hooks.set(runtime, value);
  else hooks.delete(runtime);
}

export function egressTestHooksFor(runtime: IAgentRuntime): EgressTestHooks {
  return hooks.get(runtime) ?? {};
}
