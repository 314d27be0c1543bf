export { scanSource, type Finding } from './static-scan.js';
export { validatePlugin, type ValidationReport } from './validate-plugin.js';
