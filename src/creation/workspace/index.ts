export { pipelineConfigFiles, restoreWorkspaceConfig, scaffoldWorkspace, workspacePackageJson, WORKSPACE_TSCONFIG } from './scaffold-workspace.js';
export { checkGeneratedPaths, writeSourceFiles, readSourceFiles, refusedPath } from './workspace-files.js';
export { AcceptedSources } from './accepted-sources.js';
