import type { PluginPermissions } from '../../management/permissions/plugin-permissions.js';

/**
 * The normalised plugin specification every part of creation works from. `parsePluginSpec`
 * (spec-schema.ts) turns the user's JSON into this, or refuses it naming field, value and rule.
 */

export type ParameterType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface ParameterSpec {
  /** A valid TypeScript identifier, distinct within its action. */
  name: string;
  type: ParameterType;
  required: boolean;
  description: string | undefined;
}

interface NamedComponent {
  /** The name as the user wrote it. */
  name: string;
  /** camelCase TypeScript identifier, distinct across the whole plugin, never a reserved word. */
  identifier: string;
  description: string;
}

export interface ActionSpec extends NamedComponent {
  /** The ElizaOS action name, UPPER_SNAKE_CASE, e.g. GET_CURRENT_WEATHER. */
  actionName: string;
  parameters: ParameterSpec[];
}

export interface ProviderSpec extends NamedComponent {
  /** The ElizaOS provider name (camelCase). */
  providerName: string;
  /** Field name → type, when the user described the data the provider returns. */
  dataStructure: Record<string, string> | undefined;
}

export interface ServiceSpec extends NamedComponent {
  /** PascalCase class name ending in "Service". */
  className: string;
  /** The static serviceType, snake_case. */
  serviceType: string;
  /** Method names, each a valid identifier, distinct. */
  methods: string[];
}

export interface EvaluatorSpec extends NamedComponent {
  /** The ElizaOS evaluator name, UPPER_SNAKE_CASE. */
  evaluatorName: string;
  /** Phrases that make the evaluator run (matched case-insensitively in the message text). */
  triggers: string[];
}

export interface EnvironmentVariableSpec {
  /** A plain environment variable name: [A-Z][A-Z0-9_]*. */
  name: string;
  description: string;
  required: boolean;
  sensitive: boolean;
}

/**
 * What the plugin may do when it runs isolated, in the one vocabulary of `agentConfig.permissions`
 * (network hosts, model calls per hour, storage, task workers, events, routes, posting to rooms):
 * every field present, the least where the specification said nothing. Creation writes it into the
 * generated package.json.
 */
export type PermissionsSpec = PluginPermissions;

export interface PluginSpec {
  /** A valid npm package name. */
  name: string;
  description: string;
  /** A semver version. */
  version: string;
  actions: ActionSpec[];
  providers: ProviderSpec[];
  services: ServiceSpec[];
  evaluators: EvaluatorSpec[];
  /** npm name → registry semver range only. */
  dependencies: Record<string, string>;
  environmentVariables: EnvironmentVariableSpec[];
  permissions: PermissionsSpec;
}
