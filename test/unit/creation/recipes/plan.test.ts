import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planPlugin } from '../../../../src/creation/generators/template/index.js';
import { describeToSpec, parsePluginSpec } from '../../../../src/creation/spec/index.js';

const GOOD = new URL('../../../fixtures/shared/specs/good/', import.meta.url);
const sentences = (JSON.parse(readFileSync(new URL('../fixtures/sentences.json', import.meta.url), 'utf8')) as { sentence: string }[]).map((s) => s.sentence);

describe('which recipe each component gets', () => {
  it('chooses records, reminders, conversions, API calls, time, random and text from names and settings', () => {
    const spec = parsePluginSpec(JSON.parse(readFileSync(new URL('../../../../examples/everyday.json', import.meta.url), 'utf8')));
    const recipes = Object.fromEntries(planPlugin(spec).components.map((c) => [c.name, c.recipe]));
    expect(recipes).toMatchObject({
      ADD_NOTE: 'records', LIST_NOTES: 'records', REMOVE_NOTE: 'records', FIND_NOTES: 'records', UPDATE_NOTE: 'records', CLEAR_NOTES: 'records',
      SET_REMINDER: 'schedule', LIST_REMINDERS: 'schedule', CANCEL_REMINDER: 'schedule',
      CONVERT_UNITS: 'conversion', GET_TIME: 'time', ROLL_DICE: 'random', SLUGIFY_TEXT: 'text', TRANSLATE_TEXT: 'scaffold',
      notesSummary: 'records', upcomingReminders: 'schedule', currentTime: 'time',
    });
  });

  it('scopes records per user when the description says whose they are', () => {
    const spec = parsePluginSpec({ name: 'plugin-x', description: 'Keeps my own notes', actions: [{ name: 'addNote', description: 'Add a note', parameters: { text: 'string' } }] });
    expect(planPlugin(spec).actions.get('addNote')).toMatchObject({ recipe: 'records', scope: 'user' });
  });

  it('imports a declared slug library and names the dependencies nothing uses', () => {
    const spec = parsePluginSpec({
      name: 'plugin-slugs', description: 'Slugs', dependencies: { slugify: '^1.6.6', lodash: '^4.17.21' },
      actions: [{ name: 'slugifyTitle', description: 'Turn a title into a slug', parameters: { text: 'string' } }],
    });
    const plan = planPlugin(spec);
    expect(plan.actions.get('slugifyTitle')).toMatchObject({ recipe: 'text', op: 'slugify', library: 'slugify' });
    expect(plan.unusedDependencies).toEqual(['lodash']);
  });

  it('makes a monitor service from a URL setting and the interval the description gives', () => {
    const spec = parsePluginSpec({
      name: 'plugin-watch', description: 'Watches my site every 2 minutes',
      services: [{ name: 'siteMonitor', description: 'Checks the site', methods: ['check', 'status', 'notify'] }],
      environmentVariables: [{ name: 'SITE_URL', required: true }],
    });
    expect(planPlugin(spec).services.get('siteMonitor')).toEqual({ recipe: 'monitor', urlSetting: 'SITE_URL', everyMs: 120_000 });
    const database = parsePluginSpec({
      name: 'plugin-db', description: 'Database', services: [{ name: 'dbMonitor', description: 'Checks the database health' }],
      environmentVariables: [{ name: 'DATABASE_URL', required: true }],
    });
    expect(planPlugin(database).services.get('dbMonitor')).toMatchObject({ recipe: 'scaffold' });
  });

  it('needs a rates setting for currency, else says why it is a scaffold', () => {
    const spec = parsePluginSpec({ name: 'plugin-fx', description: 'Money', actions: [{ name: 'convertCurrency', description: 'Convert USD to EUR' }] });
    expect(planPlugin(spec).components[0]).toMatchObject({ recipe: 'scaffold', working: false, detail: expect.stringContaining('EXCHANGE_RATES_URL') });
  });

  it('reports the share of working components over the shared fixtures and the sentence set', () => {
    const specs = [
      ...readdirSync(GOOD).filter((f) => f.endsWith('.json')).map((f) => parsePluginSpec(JSON.parse(readFileSync(new URL(f, GOOD), 'utf8')))),
      ...sentences.map((s) => describeToSpec(s)),
    ];
    const components = specs.flatMap((s) => planPlugin(s).components);
    const working = components.filter((c) => c.working).length;
    const fixtures = specs.slice(0, 4).flatMap((s) => planPlugin(s).components);
    console.log(
      `working recipes: ${working}/${components.length} components (${Math.round((working / components.length) * 100)}%); ` +
        `shared fixtures alone: ${fixtures.filter((c) => c.working).length}/${fixtures.length}`,
    );
    expect(working / components.length).toBeGreaterThan(0.5);
  });
});
