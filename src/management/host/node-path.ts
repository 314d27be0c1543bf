import { childNode } from '../../shared/child-node.js';

/**
 * The Node binary plugin hosts run on: a real Node >= 20.19 even when the agent itself runs under
 * bun (a host must be Node: the protocol's fd channel and the sandbox assume it), found by
 * child-node.ts; NODE_UNAVAILABLE when there is none. The sandbox binds its folder read-only.
 */
export async function hostNodePath(signal?: AbortSignal): Promise<string> {
  return (await childNode(signal)).path;
}
