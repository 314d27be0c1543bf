import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { camelCase, describeToSpec, parsePluginSpec, safeParsePluginSpec, upperSnake } from '../../../src/creation/spec/index.js';
import { BAD_SPEC_FIELDS } from '../../helpers/bad-specs.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, '..', '..', 'fixtures', 'shared');
const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('the specification schema', () => {
  for (const file of readdirSync(join(FIXTURES, 'specs', 'good'))) {
    it(`accepts ${file}`, () => {
      const spec = parsePluginSpec(read(join(FIXTURES, 'specs', 'good', file)));
      expect(spec.actions.every((a) => /^[A-Z][A-Z0-9_]*$/.test(a.actionName))).toBe(true);
    });
  }

  for (const [file, field] of Object.entries(BAD_SPEC_FIELDS)) {
    it(`refuses ${file}, naming ${field}`, () => {
      const result = safeParsePluginSpec(read(join(FIXTURES, 'specs', 'bad', file)));
      expect(result.success).toBe(false);
      if (!result.success) expect(result.issues.map((i) => i.field)).toContain(field);
    });
  }

  it('throws INVALID_SPEC with the field, the value and what is allowed', () => {
    expect(() => parsePluginSpec({ name: 'plugin-x; rm -rf ~', description: 'd' })).toThrow(/name "plugin-x; rm -rf ~": must be a valid npm package name/);
  });

  it('takes network permissions as host names, lower-cased and without repeats; no network by default', () => {
    expect(parsePluginSpec({ name: 'plugin-a', description: 'd' }).permissions.network).toEqual([]);
    const spec = parsePluginSpec({ name: 'plugin-b', description: 'd', permissions: { network: ['API.GitHub.com', 'api.github.com', 'wttr.in'] } });
    expect(spec.permissions.network).toEqual(['api.github.com', 'wttr.in']);
  });

  it('refuses network permissions that are not plain host names', () => {
    for (const host of ['https://api.github.com', 'api.github.com:443', '*.github.com', '127.0.0.1', 'localhost', 'api.github.com/x']) {
      const result = safeParsePluginSpec({ name: 'plugin-c', description: 'd', permissions: { network: [host] } });
      expect(result.success, host).toBe(false);
      if (!result.success) expect(result.issues[0]?.field).toBe('permissions.network[0]');
    }
  });

  it('turns kebab, upper snake and spaced names into distinct identifiers', () => {
    const spec = parsePluginSpec({
      name: 'plugin-names',
      description: 'd',
      actions: [
        { name: 'get-weather', description: 'a' },
        { name: 'SEND_MESSAGE', description: 'b' },
        { name: 'list all items', description: 'c' },
        { name: 'delete', description: 'reserved word' },
      ],
    });
    expect(spec.actions.map((a) => a.identifier)).toEqual(['getWeather', 'sendMessage', 'listAllItems', 'deleteAction']);
    expect(spec.actions.map((a) => a.actionName)).toEqual(['GET_WEATHER', 'SEND_MESSAGE', 'LIST_ALL_ITEMS', 'DELETE']);
    expect(camelCase('HTTPRequest')).toBe('httpRequest');
    expect(upperSnake('getHTTPData')).toBe('GET_HTTP_DATA');
  });

  it('refuses two names that become the same identifier', () => {
    const result = safeParsePluginSpec({ name: 'plugin-x', description: 'd', actions: [{ name: 'getData', description: 'a' }, { name: 'get-data', description: 'b' }] });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues[0]?.message).toContain('getData');
  });

  it.each([
    ['file:../evil', 'file'],
    ['git+https://example.com/x.git', 'git'],
    ['github:owner/repo', 'github'],
    ['https://example.com/x.tgz', 'url'],
    ['workspace:*', 'workspace'],
    ['npm:other@1', 'alias'],
  ])('refuses the dependency specifier %s (%s)', (range) => {
    const result = safeParsePluginSpec({ name: 'plugin-x', description: 'd', dependencies: { leftpad: range } });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues[0]?.field).toBe('dependencies.leftpad');
  });

  it('refuses a setting that is not an environment variable name and suggests one', () => {
    const result = safeParsePluginSpec({ name: 'plugin-x', description: 'd', environmentVariables: [{ name: 'api_key' }] });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues[0]?.message).toContain('API_KEY');
  });

  it('bounds sizes', () => {
    const actions = Array.from({ length: 21 }, (_, i) => ({ name: `action${i}`, description: 'x' }));
    expect(safeParsePluginSpec({ name: 'plugin-x', description: 'd', actions }).success).toBe(false);
    expect(safeParsePluginSpec({ name: 'plugin-x', description: 'd'.repeat(501) }).success).toBe(false);
  });

  it('refuses unknown fields, listing the allowed ones', () => {
    const result = safeParsePluginSpec({ name: 'plugin-x', description: 'd', script: 'rm -rf /' });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.issues[0]?.message).toContain('environmentVariables');
  });

  it("refuses names that would clash with what a generated plugin already has: __proto__, a service's own members", () => {
    const parameter = safeParsePluginSpec({ name: 'p', description: 'd', actions: [{ name: 'add note', description: 'd', parameters: [{ name: '__proto__', type: 'string' }] }] });
    expect(parameter).toMatchObject({ success: false, issues: [{ field: 'actions[0].parameters.__proto__' }] });
    for (const method of ['runtime', 'config', 'capabilityDescription', 'isRunning']) {
      const result = safeParsePluginSpec({ name: 'p', description: 'd', services: [{ name: 'sync', description: 'd', methods: [method] }] });
      expect(result, method).toMatchObject({ success: false, issues: [{ field: 'services[0].methods[0]', value: method }] });
    }
  });
});

describe('specifications from a sentence, without a model', () => {
  const [todo, weather, currency] = read(join(FIXTURES, 'descriptions', 'examples.json')) as string[];

  it('gives one action per verb in "add, remove, and list"', () => {
    const spec = describeToSpec(todo ?? '');
    expect(spec.name).toBe('plugin-todo-list');
    expect(spec.actions.map((a) => a.identifier)).toEqual(['addTodo', 'removeTodo', 'listTodos']);
    expect(spec.actions[0]?.parameters.map((p) => p.name)).toEqual(['text']);
  });

  it('gives an action with the place as a parameter, and a provider when it asks for information', () => {
    const spec = describeToSpec(weather ?? '');
    expect(spec.name).toBe('plugin-weather');
    expect(spec.actions.map((a) => a.identifier)).toEqual(['getCurrentWeather']);
    expect(spec.actions[0]?.parameters.map((p) => p.name)).toEqual(['city']);
    expect(spec.providers.length).toBe(1);
  });

  it('gives a conversion action, the named API\'s address and a sensitive API key setting', () => {
    const spec = describeToSpec(currency ?? '');
    expect(spec.actions.map((a) => a.identifier)).toEqual(['convertCurrency']);
    expect(spec.actions[0]?.parameters.map((p) => p.name)).toEqual(['amount', 'fromCurrency', 'toCurrency']);
    expect(spec.environmentVariables).toEqual([
      expect.objectContaining({ name: 'RATES_API_URL', required: true, sensitive: false }),
      expect.objectContaining({ name: 'RATES_API_KEY', required: true, sensitive: true }),
    ]);
  });

  it('says what is missing when the sentence names no action', () => {
    expect(() => describeToSpec('asdf qwerty')).toThrow(expect.objectContaining({ code: 'DESCRIPTION_UNUSABLE' }));
  });
});
