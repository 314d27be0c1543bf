export { IsolatedPlugins, pluginDataFolder, characterCopy, type IsolatedPluginsOptions } from './isolated-plugins.js';
export { decideIsolation, ISOLATION_MODES, ISOLATION_POLICIES, type IsolationDecision, type IsolationMode, type IsolationPolicy } from './isolation.js';
export { RestartBackoff } from './restart-backoff.js';
export { NARROW_RUNTIME_CONTRACT } from '../../shared/narrow-runtime/narrow-runtime-contract.js';
export { hostNodePath } from './node-path.js';
export { setEgressTestHooks, type EgressTestHooks } from './egress-test-hooks.js';
