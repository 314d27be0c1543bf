import semver from 'semver';
import { z } from 'zod';
import { PluginDynamicError } from '../../errors.js';
import { normalizePermissions, PermissionsSchema } from '../../management/permissions/plugin-permissions.js';
import { isHostName, normalizeHostName } from '../../shared/sandbox/host-name.js';
import { COMPONENT_NAME, componentIdentifier, isHardReserved, isReserved, pascalCase, snakeCase, upperSnake } from './identifiers.js';
import type { ParameterSpec, ParameterType, PluginSpec } from './plugin-spec.js';

/** One reason a specification was refused: where, what was there, and what is allowed. */
export interface SpecIssue {
  field: string;
  value: unknown;
  message: string;
}

const LIMITS = { components: 20, parameters: 20, methods: 30, triggers: 20, dependencies: 30, settings: 30 } as const;
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Members every generated service already has (ElizaOS's Service and the template's lifecycle). */
const SERVICE_MEMBERS = ['start', 'stop', 'constructor', 'runtime', 'config', 'capabilityDescription', 'isRunning'];
const TYPE_ALIASES: Record<string, ParameterType> = {
  string: 'string', text: 'string', number: 'number', integer: 'number', int: 'number', float: 'number',
  boolean: 'boolean', bool: 'boolean', object: 'object', json: 'object', record: 'object',
  array: 'array', list: 'array', 'string[]': 'array', 'number[]': 'array',
};

const text = (max: number) => z.string().trim().min(1).max(max);
const ParameterValue = z.union([
  z.string().max(40),
  z.strictObject({ type: z.string().max(40), description: z.string().max(500).optional(), required: z.boolean().optional() }),
]);
const ParametersInput = z.union([
  z.record(z.string(), ParameterValue),
  z.array(z.strictObject({ name: z.string(), type: z.string().max(40), description: z.string().max(500).optional(), required: z.boolean().optional() })),
]);

const SpecInput = z.strictObject({
  name: z.string().max(214),
  description: text(500),
  version: z.string().max(64).optional(),
  actions: z.array(z.strictObject({ name: z.string().max(64), description: text(500), parameters: ParametersInput.optional(), similes: z.array(z.string().max(64)).max(10).optional() })).max(LIMITS.components).optional(),
  providers: z.array(z.strictObject({ name: z.string().max(64), description: text(500), dataStructure: z.record(z.string(), z.string().max(80)).optional() })).max(LIMITS.components).optional(),
  services: z.array(z.strictObject({ name: z.string().max(64), description: text(500), methods: z.array(z.string().max(64)).max(LIMITS.methods).optional() })).max(LIMITS.components).optional(),
  evaluators: z.array(z.strictObject({ name: z.string().max(64), description: text(500), triggers: z.array(text(100)).max(LIMITS.triggers).optional() })).max(LIMITS.components).optional(),
  dependencies: z.record(z.string(), z.string().max(100)).optional(),
  environmentVariables: z.array(z.strictObject({ name: z.string().max(64), description: z.string().max(500).optional(), required: z.boolean().optional(), sensitive: z.boolean().optional() })).max(LIMITS.settings).optional(),
  // The permission vocabulary itself: every field optional, the least where left out.
  permissions: PermissionsSchema.optional(),
});
type SpecInputT = z.infer<typeof SpecInput>;

const ALLOWED_KEYS = Object.keys(SpecInput.shape).join(', ');

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}...` : v;
}

function zodIssues(input: unknown, error: z.ZodError): SpecIssue[] {
  return error.issues.map((issue) => {
    const field = fieldPath(issue.path) || '(specification)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.join(', ')}; allowed: ${issue.path.length ? 'see the documentation' : ALLOWED_KEYS}`;
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) message = `is required (${issue.expected})`;
    if (issue.code === 'too_big') message = `is too large: at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ' entries'}`;
    if (issue.code === 'too_small') message = 'must not be empty';
    return { field, value: valueAt(input, issue.path), message };
  });
}

function parameters(input: SpecInputT['actions'] extends (infer A)[] | undefined ? A : never, at: string, issues: SpecIssue[]): ParameterSpec[] {
  const raw = input.parameters;
  const list = Array.isArray(raw)
    ? raw
    : Object.entries(raw ?? {}).map(([name, v]) => (typeof v === 'string' ? { name, type: v } : { name, ...v }));
  if (list.length > LIMITS.parameters) issues.push({ field: `${at}.parameters`, value: list.length, message: `at most ${LIMITS.parameters} parameters` });
  const seen = new Set<string>();
  return list.map((p) => {
    const optional = p.type.trim().endsWith('?');
    const type = TYPE_ALIASES[p.type.trim().replace(/\?$/, '').toLowerCase()];
    // "__proto__" would set an object's prototype wherever a value is stored under it.
    if (!PARAMETER_NAME.test(p.name) || isHardReserved(p.name) || p.name === '__proto__') {
      issues.push({ field: `${at}.parameters.${p.name}`, value: p.name, message: 'must be an identifier (letters, digits, _; not a reserved word)' });
    }
    if (!type) issues.push({ field: `${at}.parameters.${p.name}`, value: p.type, message: 'type must be one of string, number, boolean, object, array' });
    if (seen.has(p.name)) issues.push({ field: `${at}.parameters.${p.name}`, value: p.name, message: 'is declared twice' });
    seen.add(p.name);
    return { name: p.name, type: type ?? 'string', required: p.required ?? !optional, description: p.description };
  });
}

function checkName(name: string, field: string, issues: SpecIssue[]): void {
  if (!COMPONENT_NAME.test(name)) {
    issues.push({ field, value: name, message: 'must start with a letter and use only letters, digits, spaces, "_" or "-" (at most 64)' });
  }
}

function checkDependency(name: string, range: string, issues: SpecIssue[]): void {
  const field = `dependencies.${name}`;
  if (!PACKAGE_NAME.test(name) || name.includes('..')) issues.push({ field, value: name, message: 'is not a valid npm package name' });
  const remote = /^(file:|link:|git|github:|gitlab:|bitbucket:|https?:|npm:|workspace:|portal:)|\//.test(range);
  if (remote || !semver.validRange(range)) {
    issues.push({ field, value: range, message: 'must be a semver range from the npm registry (e.g. "^8.0.0"); file:, git, URLs and aliases are not allowed' });
  }
}

/** Validates and normalises a specification, or lists every reason it was refused. */
export function safeParsePluginSpec(input: unknown): { success: true; spec: PluginSpec } | { success: false; issues: SpecIssue[] } {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { success: false, issues: [{ field: '(specification)', value: typeof input, message: `must be a JSON object with ${ALLOWED_KEYS}` }] };
  }
  const parsed = SpecInput.safeParse(input);
  if (!parsed.success) return { success: false, issues: zodIssues(input, parsed.error) };
  const s = parsed.data;
  const issues: SpecIssue[] = [];
  if (!PACKAGE_NAME.test(s.name) || s.name.includes('..')) {
    issues.push({ field: 'name', value: s.name, message: 'must be a valid npm package name, e.g. "@elizaos/plugin-weather" or "plugin-weather" (lower case, no spaces, no "..", no shell characters)' });
  }
  const version = s.version ?? '1.0.0';
  if (!semver.valid(version)) issues.push({ field: 'version', value: version, message: 'must be a semver version such as "1.0.0"' });

  const identifiers = new Map<string, string>();
  const claim = (id: string, field: string, name: string): void => {
    const previous = identifiers.get(id.toLowerCase());
    if (previous) issues.push({ field, value: name, message: `becomes the identifier "${id}", which ${previous} already uses; names must be distinct` });
    else identifiers.set(id.toLowerCase(), field);
  };

  const actions = (s.actions ?? []).map((a, i) => {
    const field = `actions[${i}]`;
    checkName(a.name, `${field}.name`, issues);
    const identifier = componentIdentifier(a.name, 'action');
    claim(identifier, `${field}.name`, a.name);
    return { name: a.name, identifier, actionName: upperSnake(a.name), description: a.description, parameters: parameters(a, field, issues) };
  });
  const providers = (s.providers ?? []).map((p, i) => {
    const field = `providers[${i}]`;
    checkName(p.name, `${field}.name`, issues);
    const identifier = componentIdentifier(p.name, 'provider');
    claim(identifier, `${field}.name`, p.name);
    return { name: p.name, identifier, providerName: identifier, description: p.description, dataStructure: p.dataStructure };
  });
  const services = (s.services ?? []).map((sv, i) => {
    const field = `services[${i}]`;
    checkName(sv.name, `${field}.name`, issues);
    const identifier = componentIdentifier(sv.name, 'service');
    claim(identifier, `${field}.name`, sv.name);
    const base = pascalCase(sv.name).replace(/Service$/, '') || 'Plugin';
    const methods = sv.methods ?? [];
    const seen = new Set<string>();
    methods.forEach((m, j) => {
      if (!PARAMETER_NAME.test(m) || isReserved(m) || SERVICE_MEMBERS.includes(m) || m in Object.prototype) {
        issues.push({ field: `${field}.methods[${j}]`, value: m, message: `must be an identifier that is not reserved nor one of the service's own members (${SERVICE_MEMBERS.join(', ')}, toString and the other Object members)` });
      }
      if (seen.has(m)) issues.push({ field: `${field}.methods[${j}]`, value: m, message: 'is declared twice' });
      seen.add(m);
    });
    return { name: sv.name, identifier, className: `${base}Service`, serviceType: snakeCase(base), description: sv.description, methods };
  });
  const evaluators = (s.evaluators ?? []).map((e, i) => {
    const field = `evaluators[${i}]`;
    checkName(e.name, `${field}.name`, issues);
    const identifier = componentIdentifier(e.name, 'evaluator');
    claim(identifier, `${field}.name`, e.name);
    return { name: e.name, identifier, evaluatorName: upperSnake(e.name), description: e.description, triggers: e.triggers ?? [] };
  });
  const dependencies = s.dependencies ?? {};
  if (Object.keys(dependencies).length > LIMITS.dependencies) issues.push({ field: 'dependencies', value: Object.keys(dependencies).length, message: `at most ${LIMITS.dependencies}` });
  for (const [name, range] of Object.entries(dependencies)) checkDependency(name, range, issues);
  const seenEnv = new Set<string>();
  const environmentVariables = (s.environmentVariables ?? []).map((v, i) => {
    const field = `environmentVariables[${i}].name`;
    if (!ENV_NAME.test(v.name)) {
      const hint = /^[A-Za-z][A-Za-z0-9_]*$/.test(v.name) ? ` (did you mean "${v.name.toUpperCase()}"?)` : '';
      issues.push({ field, value: v.name, message: `must be an environment variable name: upper case letters, digits and _${hint}` });
    }
    if (seenEnv.has(v.name)) issues.push({ field, value: v.name, message: 'is declared twice' });
    seenEnv.add(v.name);
    return { name: v.name, description: v.description ?? '', required: v.required ?? true, sensitive: v.sensitive ?? /KEY|TOKEN|SECRET|PASSWORD|URL/.test(v.name) };
  });
  const declared = s.permissions ?? PermissionsSchema.parse({});
  declared.network.forEach((host, i) => {
    if (!isHostName(normalizeHostName(host))) {
      issues.push({ field: `permissions.network[${i}]`, value: host, message: 'must be a host name such as "api.github.com": no scheme, port, path, wildcard, IP address or localhost' });
    }
  });
  const permissions = normalizePermissions(declared);
  if (issues.length > 0) return { success: false, issues };
  return { success: true, spec: { name: s.name, description: s.description, version, actions, providers, services, evaluators, dependencies, environmentVariables, permissions } };
}

/** Validates and normalises a specification; refuses it naming field, value and what is allowed. */
export function parsePluginSpec(input: unknown): PluginSpec {
  const result = safeParsePluginSpec(input);
  if (result.success) return result.spec;
  const shown = result.issues.slice(0, 5).map((i) => `${i.field} ${JSON.stringify(i.value)}: ${i.message}`);
  const more = result.issues.length > 5 ? ` (and ${result.issues.length - 5} more)` : '';
  throw new PluginDynamicError('INVALID_SPEC', `The specification was refused: ${shown.join('; ')}${more}.`, { details: { issues: result.issues } });
}
