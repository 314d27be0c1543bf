export { PluginLoader, type LoadReport } from './plugin-loader.js';
export { importPluginModule, findPluginExport, looksLikePlugin } from './import-plugin-module.js';
export { findConflicts } from './conflicts.js';
export { guardPlugin } from './component-guard.js';
export { captureSnapshot, diffSnapshot, type Ledger } from './runtime-snapshot.js';
export { removeLedger, type RemovalReport } from './remove-ledger.js';
