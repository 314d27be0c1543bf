export { createPluginAction } from './create-plugin.js';
export { createPluginFromDescriptionAction } from './create-plugin-from-description.js';
export { checkPluginCreationStatusAction } from './check-plugin-creation-status.js';
export { cancelPluginCreationAction } from './cancel-plugin-creation.js';
export { listPluginCreationJobsAction } from './list-plugin-creation-jobs.js';
