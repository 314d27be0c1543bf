export { scaffoldWorkspace, workspacePackageJson } from './scaffold-workspace.js';
export { writeSourceFiles, readSourceFiles, refusedPath } from './workspace-files.js';
