export { agentNodeModules, agentOverrides, agentPackageDir } from './agent-packages.js';
export { npmComplaint, runNpm, sharedNpmConfig, type NpmOptions } from './npm-client.js';
