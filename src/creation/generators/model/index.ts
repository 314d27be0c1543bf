export { createModelGenerator } from './model-generator.js';
export { parseModelFiles, checkModelFilePaths, type ParsedFile } from './parse-model-files.js';
export { firstPrompt, repairPrompt, describeDiagnostic } from './prompts.js';
