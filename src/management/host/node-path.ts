/**
 * The Node binary plugin hosts run on. One place to point at a real Node when the agent itself
 * runs under bun (a host must be Node: the protocol's fd channel and the sandbox assume it).
 */
export function hostNodePath(): string {
  return process.execPath;
}
