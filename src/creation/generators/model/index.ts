export { createModelGenerator } from './model-generator.js';
export { boundedModelCall, ModelMeter, type ModelCall } from './model-call.js';
export { parseModelFiles, checkModelFilePaths, type ParsedFile } from './parse-model-files.js';
export { firstPrompt, repairPrompt, describeDiagnostic } from './prompts.js';
