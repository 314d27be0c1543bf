export { SANDBOX_SETTINGS, type SandboxSetting, sandboxBoundHit, bwrapSandbox, noSandbox, selectSandbox, bwrapWorks, type Sandbox, type SandboxPolicy } from './sandbox.js';
export { openResourceGroup, sweepResourceGroups, type GroupBounds, type ResourceGroup } from './resource-group.js';
export { startEgressProxy, sweepEgressFolders, type EgressLogger, type EgressProxy, type EgressProxyOptions, type ResolvedDestination } from './egress-proxy.js';
