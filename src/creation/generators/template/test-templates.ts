import type { ActionSpec, PluginSpec, ProviderSpec } from '../../spec/plugin-spec.js';
import { actionParameters } from './action-templates.js';
import { kebab, lit } from './naming.js';
import type { ActionPlan, ProviderPlan, TextOp } from './recipes.js';

export function settingsLiteral(spec: PluginSpec): string {
  const value = (name: string): string => (/URL|ENDPOINT|BASE|HOST|ADDRESS/.test(name) ? 'http://127.0.0.1:9' : 'test-value');
  return `{ ${spec.environmentVariables.map((v) => `${v.name}: ${lit(value(v.name))}`).join(', ')} }`;
}

const TEXT_SAMPLE: Record<TextOp, [string, string]> = {
  slugify: ['Hello World', 'hello-world'],
  uppercase: ['Hello World', 'HELLO WORLD'],
  lowercase: ['Hello World', 'hello world'],
  titlecase: ['hello world', 'Hello World'],
  reverse: ['abc', 'cba'],
  wordcount: ['one two three', '3 words'],
  trim: ['  a   b  ', 'a b'],
};

/** A sample value of each type, for the required parameters a test gives by name (as a planner would). */
export function sampleValue(type: string): unknown {
  return { string: 'sample', number: 3, boolean: true, object: { key: 'value' }, array: ['one'] }[type];
}

/** A well-known API's action calls its public address while the URL setting is unset (fetch stubbed: no network in tests). */
function publicAddressTest(id: string, url: string, setting: string, given: string): string {
  return `  it(${lit(`calls ${url} while ${setting} is unset`)}, async () => {
    const seen: string[] = [];
    vi.stubGlobal('fetch', async (address: URL) => {
      seen.push(String(address));
      return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
    });
    try {
      const settings: Record<string, string> = { ...SETTINGS };
      delete settings[${lit(setting)}];
      const result = await ${id}.handler(testRuntime(settings), testMessage('go'), undefined, ${given});
      expect(result).toMatchObject({ success: true });
      expect(seen[0]?.startsWith(${lit(url)})).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });`;
}

function behaviour(id: string, plan: ActionPlan, given: string, main: string[], byNumber: boolean): { imports: string[]; body: string } {
  const call = (text: string, rt = 'runtime') => `${id}.handler(${rt}, testMessage(${lit(text)}), undefined, ${given})`;
  switch (plan.recipe) {
    case 'records': {
      const c = `{ plugin: PLUGIN_NAME, noun: ${lit(plan.noun)}, scope: ${lit(plan.scope)} }`;
      const names = plan.op === 'add' ? 'listRecords' : plan.op === 'list' || plan.op === 'find' ? 'addRecord' : 'addRecord, listRecords';
      const field = plan.field ?? 'status';
      const [ref = 'id', value = field] = main;
      const markText = field === 'done' ? `complete ${ref}: 1` : field === 'rating' ? `rate ${ref}: 1, ${value}: 4` : `mark ${ref}: 1, ${value}: read`;
      const markValue = field === 'done' ? 'true' : field === 'rating' ? '4' : lit('read');
      const imports = [`import { PLUGIN_NAME } from '../plugin-info.js';`, `import { ${names} } from '../records.js';`];
      const seed = `    await addRecord(runtime, testMessage(''), ${c}, { text: 'buy milk' });\n`;
      const bodies = {
        add: `  it('saves what a plain sentence asks for, in the agent cache', async () => {
    const result = await ${call(`please add buy milk`)};
    expect(result).toMatchObject({ success: true });
    const stored = await listRecords(runtime, testMessage(''), ${c});
    expect(stored.map((r) => r.text)).toEqual(['buy milk']);
  });`,
        remove: `  it('removes a record named by its number and refuses an unknown one', async () => {
${seed}    expect(await ${call('remove #1')}).toMatchObject({ success: true });
    expect(await listRecords(runtime, testMessage(''), ${c})).toHaveLength(0);
    expect(await ${call('remove #1')}).toMatchObject({ success: false });
  });`,
        list: `  it('lists the stored records', async () => {
${seed}    const result = await ${call('show them')};
    expect(result?.text).toContain('buy milk');
  });`,
        find: `  it('finds records by their words', async () => {
${seed}    const result = await ${call('find "milk"')};
    expect(result?.text).toContain('buy milk');
  });`,
        update: `  it('changes a record named by its number', async () => {
${seed}    const result = await ${call('update #1 to buy bread')};
    expect(result).toMatchObject({ success: true });
    expect((await listRecords(runtime, testMessage(''), ${c}))[0]?.text).toBe('buy bread');
  });`,
        mark: `  it('marks one record named by its number', async () => {
${seed}    const result = await ${call(markText)};
    expect(result).toMatchObject({ success: true });
    expect((await listRecords(runtime, testMessage(''), ${c}))[0]?.fields[${lit(field)}]).toEqual(${markValue});
    expect(await ${call(markText.replace(': 1', ': 9'))}).toMatchObject({ success: false });
  });`,
        clear: `  it('clears every record', async () => {
${seed}    expect(await ${call('clear them all')}).toMatchObject({ success: true });
    expect(await listRecords(runtime, testMessage(''), ${c})).toHaveLength(0);
  });`,
      };
      return { imports, body: bodies[plan.op] };
    }
    case 'schedule': {
      const imports = plan.op === 'add'
        ? [`import { SCHEDULE } from '../plugin-info.js';`, `import { fireDue } from '../schedule.js';`]
        : [`import { SCHEDULE } from '../plugin-info.js';`, `import { addReminder } from '../schedule.js';`];
      const seed = `    await addReminder(runtime, testMessage(''), SCHEDULE, 'stretch', new Date(Date.now() + 600_000));\n`;
      const bodies = {
        add: `  it('sets a reminder from a plain sentence as a task', async () => {
    const result = await ${call('remind me to stretch in 10 minutes')};
    expect(result).toMatchObject({ success: true });
    expect([...runtime.tasksStored.values()].map((t) => t.metadata?.['text'])).toEqual(['stretch']);
  });

  it('posts a due reminder to the room it was set in, once', async () => {
    const message = testMessage('remind me to stretch in 10 minutes');
    expect(await ${call('remind me to stretch in 10 minutes')}).toMatchObject({ success: true });
    expect(await fireDue(runtime, SCHEDULE, Date.now() + 3_600_000)).toBe(1);
    expect(runtime.posted).toEqual([{ target: { source: 'test', roomId: message.roomId }, content: { text: 'Reminder: stretch' } }]);
    expect(runtime.memoriesStored.map((m) => m.content.text)).toEqual(['Reminder: stretch']);
    expect(await fireDue(runtime, SCHEDULE, Date.now() + 3_600_000)).toBe(0);
  });

  it('asks when, rather than guessing', async () => {
    const result = await ${call('remind me')};
    expect(result).toMatchObject({ success: false });
  });`,
        list: `  it('lists the reminders that are set', async () => {
${seed}    const result = await ${call('show my reminders')};
    expect(result?.text).toContain('stretch');
  });`,
        clear: `  it('clears every reminder', async () => {
${seed}${seed}    expect(await ${call('clear all my reminders')}).toMatchObject({ success: true });
    expect(runtime.tasksStored.size).toBe(0);
  });`,
        cancel: `  it(${lit(byNumber ? 'cancels a reminder by its number' : 'cancels a reminder by its words')}, async () => {
${seed}    expect(await ${call(byNumber ? 'cancel #1' : 'cancel stretch')}).toMatchObject({ success: true });
    expect(runtime.tasksStored.size).toBe(0);
  });`,
      };
      return { imports, body: bodies[plan.op] };
    }
    case 'conversion':
      return {
        imports: [],
        body: `  it('converts units named in a sentence', async () => {
    const km = await ${call('convert 5 km to miles')};
    expect(km?.text).toContain('3.10686');
    const temperature = await ${call('100 fahrenheit in celsius')};
    expect(temperature?.text).toContain('37.7778');
  });

  it('asks what to convert when the message says nothing it can use', async () => {
    expect(await ${call('hello')}).toMatchObject({ success: false });
  });`,
      };
    case 'http':
      return {
        imports: [],
        body: `  it('says readably when the API cannot be reached', async () => {
    const result = await ${call('go')};
    expect(result).toMatchObject({ success: false });
    expect(result?.text).toMatch(/Could not reach|What is|What are/);
  });

${plan.defaultBaseUrl ? publicAddressTest(id, plan.defaultBaseUrl, plan.baseUrlSetting, given) : `  it('asks for its address setting when it is not set', async () => {
    const result = await ${id}.handler(testRuntime(), testMessage('go'), undefined, {});
    expect(result).toMatchObject({ success: false });
  });`}`,
      };
    case 'time':
      return {
        imports: [],
        body: `  it('tells the time in a named place', async () => {
    const result = await ${call('what time is it in Tokyo?')};
    expect(result).toMatchObject({ success: true });
    expect(result?.text).toContain('Asia/Tokyo');
  });`,
      };
    case 'random':
      return {
        imports: [],
        body: `  it('rolls dice, flips a coin and picks one', async () => {
    const dice = await ${call('roll 2d6')};
    const total = (dice?.data as { total: number }).total;
    expect(total).toBeGreaterThanOrEqual(2);
    expect(total).toBeLessThanOrEqual(12);
    expect((await ${call('flip a coin')})?.text).toMatch(/heads|tails/);
    expect((await ${call('pick one of tea, coffee')})?.text).toMatch(/tea|coffee/);
  });`,
      };
    case 'text': {
      const [input, output] = TEXT_SAMPLE[plan.op];
      return {
        imports: [],
        body: `  it('transforms the text it is given', async () => {
    const result = await ${call(`${plan.op}: "${input}"`)};
    expect(result).toMatchObject({ success: true, text: ${lit(output)} });
  });`,
      };
    }
    case 'scaffold':
      return {
        imports: [],
        body: `  it('says it is not implemented yet instead of pretending', async () => {
    const result = await ${call('do it')};
    expect(result).toMatchObject({ success: false });
    expect(result?.text).toContain('not implemented yet');
  });`,
      };
  }
}

export function actionTestSource(action: ActionSpec, plan: ActionPlan, spec: PluginSpec): string {
  const id = `${action.identifier}Action`;
  const { decls, main } = actionParameters(action, plan, spec);
  const others = decls.filter((d) => d.required && !main.includes(d.name));
  const given = `{ parameters: ${JSON.stringify(Object.fromEntries(others.map((d) => [d.name, sampleValue(d.type)])))} }`;
  // A reference declared as a number names a record or reminder by its number, never by its words.
  const byNumber = decls.find((d) => d.name === main[0])?.type === 'number';
  const { imports, body } = behaviour(id, plan, given, main, byNumber);
  const settings = spec.environmentVariables.some((v) => v.required)
    ? `

  it('refuses to run without its required settings', async () => {
    const result = await ${id}.handler(testRuntime(), testMessage('x'), undefined, {});
    expect(result).toMatchObject({ success: false });
  });`
    : '';
  const stubs = body.includes('vi.stubGlobal');
  return `import { beforeEach, describe, expect, it${stubs ? ', vi' : ''} } from 'vitest';
import { ${id} } from '../actions/${kebab(action.identifier)}.js';
${imports.join('\n')}${imports.length ? '\n' : ''}import { testMessage, testRuntime, type TestRuntime } from './support.js';

describe(${lit(action.actionName)}, () => {
  let runtime: TestRuntime;${stubs ? `
  const SETTINGS: Record<string, string> = ${settingsLiteral(spec)};` : ''}
  beforeEach(() => {
    runtime = testRuntime(${settingsLiteral(spec)});
  });

${body}${settings}
});
`;
}

export function providerTestSource(provider: ProviderSpec, plan: ProviderPlan, spec: PluginSpec): string {
  const id = `${provider.identifier}Provider`;
  const check: Record<ProviderPlan['recipe'], { imports: string[]; body: string }> = {
    records: {
      imports: [`import { PLUGIN_NAME } from '../plugin-info.js';`, `import { addRecord } from '../records.js';`],
      body: `    await addRecord(runtime, testMessage(''), { plugin: PLUGIN_NAME, noun: ${lit(plan.recipe === 'records' ? plan.noun : '')}, scope: ${lit(plan.recipe === 'records' ? plan.scope : 'room')} }, { text: 'buy milk' });
    const result = await ${id}.get(runtime, testMessage('hello'), { values: {}, data: {}, text: '' });
    expect(result.text).toContain('buy milk');`,
    },
    schedule: {
      imports: [`import { SCHEDULE } from '../plugin-info.js';`, `import { addReminder } from '../schedule.js';`],
      body: `    await addReminder(runtime, testMessage(''), SCHEDULE, 'stretch', new Date(Date.now() + 600_000));
    const result = await ${id}.get(runtime, testMessage('hello'), { values: {}, data: {}, text: '' });
    expect(result.text).toContain('stretch');`,
    },
    time: {
      imports: [],
      body: `    const result = await ${id}.get(runtime, testMessage('hello'), { values: {}, data: {}, text: '' });
    expect(result.text).toContain(new Date().toISOString().slice(0, 4));`,
    },
    http: {
      imports: [`import { PLUGIN_NAME } from '../plugin-info.js';`],
      body: `    const message = testMessage('hello');
    await runtime.setCache(PLUGIN_NAME + '/http/last/' + String(message.roomId), { text: 'temperature: 21', at: 'now' });
    const result = await ${id}.get(runtime, message, { values: {}, data: {}, text: '' });
    expect(result.text).toContain('temperature: 21');`,
    },
    conversion: {
      imports: [],
      body: `    const result = await ${id}.get(runtime, testMessage('hello'), { values: {}, data: {}, text: '' });
    expect(result.text).toContain('km');
    expect(result.text).toContain('fahrenheit');`,
    },
    scaffold: {
      imports: [],
      body: `    const result = await ${id}.get(runtime, testMessage('hello'), { values: {}, data: {}, text: '' });
    expect(result).toMatchObject({ text: '', data: { implemented: false } });`,
    },
  };
  const { imports, body } = check[plan.recipe];
  return `import { describe, expect, it } from 'vitest';
import { ${id} } from '../providers/${kebab(provider.identifier)}.js';
${imports.join('\n')}${imports.length ? '\n' : ''}import { testMessage, testRuntime } from './support.js';

describe(${lit(provider.providerName)}, () => {
  it(${lit(plan.recipe === 'scaffold' ? 'adds nothing to the context until it is implemented' : 'gives the agent real values')}, async () => {
    const runtime = testRuntime(${settingsLiteral(spec)});
${body}
  });
});
`;
}
