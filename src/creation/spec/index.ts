export { parsePluginSpec, safeParsePluginSpec, type SpecIssue } from './spec-schema.js';
export { describeToSpec } from './describe-offline.js';
export { describeWithModel } from './describe-with-model.js';
export { camelCase, pascalCase, upperSnake, snakeCase, componentIdentifier } from './identifiers.js';
export type * from './plugin-spec.js';
