import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Action, Provider, Service } from '@elizaos/core';
import { templateFiles } from '../../../../src/creation/generators/template/index.js';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { generatedPlugin } from '../../../helpers/generated-plugin.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.unstubAllGlobals();
  while (cleanups.length) cleanups.pop()?.();
});

async function plugin(input: unknown) {
  const g = await generatedPlugin(input);
  cleanups.push(g.cleanup);
  const action = (name: string): Action => g.plugin.actions?.find((a) => a.name === name) as Action;
  const provider = (name: string): Provider => g.plugin.providers?.find((p) => p.name === name) as Provider;
  return { ...g, action, provider };
}

/** Every function or imported name a generated file declares is used somewhere else in it. */
function unusedNames(source: string): string[] {
  const declared = [
    ...[...source.matchAll(/\bfunction\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1] ?? ''),
    ...[...source.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}/gm)].flatMap((m) => (m[1] ?? '').split(',').map((n) => n.replace(/\btype\b/, '').trim()).filter(Boolean)),
  ];
  return declared.filter((name) => source.split(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`)).length < 3);
}

describe('issue 17 regressions of the template generator', () => {
  it('a service scaffold without methods declares nothing it does not use (lint: no-unused-vars)', () => {
    const spec = parsePluginSpec({ name: 'plugin-svc', description: 'A background service', services: [{ name: 'Sync', description: 'Something no recipe knows' }] });
    const service = templateFiles(spec).find((f) => f.path === 'src/services/sync.ts')?.content ?? '';
    expect(service).toContain('class SyncService');
    expect(unusedNames(service)).toEqual([]);
  });

  it('a monitor service with only a check method imports only what it uses', () => {
    const spec = parsePluginSpec({
      name: 'plugin-watch', description: 'Checks the website every 5 minutes',
      services: [{ name: 'website monitor', description: 'Monitor the website', methods: ['check'] }],
      environmentVariables: [{ name: 'WEBSITE_URL' }],
    });
    const service = templateFiles(spec).find((f) => f.path === 'src/services/website-monitor.ts')?.content ?? '';
    expect(service).toContain('checkNow');
    expect(unusedNames(service)).toEqual([]);
  });

  it("a provider-only plugin's time provider gives the year even when its zone setting is not a zone", async () => {
    const p = await plugin({
      name: 'plugin-clock', description: 'Tells the time',
      providers: [{ name: 'current time', description: 'The current date and time' }],
      environmentVariables: [{ name: 'TIMEZONE', required: false }],
    });
    const runtime = p.support.testRuntime({ TIMEZONE: 'test-value' });
    const result = await p.provider('currentTime').get(runtime, p.support.testMessage('hello'), { values: {}, data: {}, text: '' });
    expect(result.text).toContain(String(new Date().getUTCFullYear()));
  });

  it('a records action with a required parameter refuses a call without it', async () => {
    const p = await plugin({
      name: 'plugin-notes', description: 'Keeps notes',
      actions: [
        { name: 'add note', description: 'Add a note', parameters: { text: 'string' } },
        { name: 'list notes', description: 'List the notes of a category', parameters: { category: 'string' } },
      ],
    });
    const runtime = p.support.testRuntime();
    expect(await p.action('LIST_NOTES').handler(runtime, p.support.testMessage(''), undefined, {})).toMatchObject({ success: false });
    expect(await p.action('LIST_NOTES').handler(runtime, p.support.testMessage('category: work'), undefined, {})).toMatchObject({ success: true });
  });

  it('reads "value: 5 from: km to: mi" on one line', async () => {
    const p = await plugin({
      name: 'plugin-units', description: 'Converts units',
      actions: [{ name: 'convert units', description: 'Convert between units', parameters: { value: 'number', from: 'string', to: 'string' } }],
    });
    const result = await p.action('CONVERT_UNITS').handler(p.support.testRuntime(), p.support.testMessage('value: 5 from: km to: mi'), undefined, {});
    expect(result).toMatchObject({ success: true });
    expect(result?.text).toContain('3.10686');
  });

  it('"clear all my reminders" clears every reminder', async () => {
    const p = await plugin({
      name: 'plugin-remind', description: 'Reminders',
      actions: [
        { name: 'set reminder', description: 'Remind me of something at a time', parameters: { text: 'string', when: 'string' } },
        { name: 'clear reminders', description: 'Clear all my reminders' },
      ],
    });
    const runtime = p.support.testRuntime();
    for (const text of ['remind me to stretch in 10 minutes', 'remind me to drink in 20 minutes']) {
      expect(await p.action('SET_REMINDER').handler(runtime, p.support.testMessage(text), undefined, {})).toMatchObject({ success: true });
    }
    const cleared = await p.action('CLEAR_REMINDERS').handler(runtime, p.support.testMessage('Clear all my reminders'), undefined, {});
    expect(cleared).toMatchObject({ success: true, data: { cleared: 2 } });
    expect(runtime.tasksStored.size).toBe(0);
  });

  it("a service's declared methods are served by the recipe of the actions beside them", async () => {
    const p = await plugin({
      name: 'plugin-remind', description: 'Reminders',
      actions: [
        { name: 'set reminder', description: 'Remind me of something at a time', parameters: { text: 'string', when: 'string' } },
        { name: 'list reminders', description: 'List my reminders' },
      ],
      services: [{ name: 'Reminder', description: 'Schedules reminders', methods: ['schedule', 'upcoming'] }],
    });
    const runtime = p.support.testRuntime();
    const definition = p.plugin.services?.find((s) => s.serviceType === 'reminder') as unknown as { start(r: unknown): Promise<Service> };
    const service = (await definition.start(runtime)) as Service & Record<'schedule' | 'upcoming', (m: unknown) => Promise<{ success: boolean; text?: string }>>;
    expect(await service.schedule(p.support.testMessage('remind me to stretch in 10 minutes'))).toMatchObject({ success: true });
    expect((await service.upcoming(p.support.testMessage('show them'))).text).toContain('stretch');
    await service.stop();
  });

  it('a well-known public API (GitHub) with an optional URL setting calls its public address', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (url: URL) => {
      calls.push(String(url));
      return new Response(JSON.stringify({ stargazers_count: 42 }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
    const p = await plugin({
      name: 'plugin-github', description: 'Get information about GitHub repositories',
      actions: [{ name: 'get repository', description: 'Get a repository', parameters: { repo: 'string' } }],
      environmentVariables: [{ name: 'GITHUB_API_URL', required: false }],
      permissions: { network: ['api.github.com'] },
    });
    const result = await p.action('GET_REPOSITORY').handler(p.support.testRuntime(), p.support.testMessage('repo: elizaos/eliza'), undefined, {});
    expect(result?.text).not.toContain('Set GITHUB_API_URL');
    expect(result).toMatchObject({ success: true });
    expect(calls).toEqual(['https://api.github.com/elizaos/eliza']);
  });

  it('a provider meant to list the supported units gives them', async () => {
    const p = await plugin({
      name: 'plugin-units', description: 'Converts units',
      actions: [{ name: 'convert units', description: 'Convert between units' }],
      providers: [{ name: 'supported units', description: 'Lists the supported units' }],
    });
    const result = await p.provider('supportedUnits').get(p.support.testRuntime(), p.support.testMessage('hello'), { values: {}, data: {}, text: '' });
    expect(result.text).toContain('km');
    expect(result.text).toContain('fahrenheit');
  });
});
