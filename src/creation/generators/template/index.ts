export { templateGenerator, templateFiles, templatePermissions } from './template-generator.js';
export { planPlugin, type ComponentReport, type PluginPlan } from './recipes.js';
