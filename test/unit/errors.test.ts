import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pickAction } from '../../src/cli/action-choice.js';
import { resolvePluginUrl } from '../../src/cli/agent-url.js';
import {
  codedError,
  ERROR_CATALOGUE,
  ERROR_MESSAGES,
  errorEnvelope,
  PluginDynamicError,
  toPluginDynamicError,
  type ErrorCode,
} from '../../src/errors.js';
import { resolveInside } from '../../src/shared/paths.js';
import { componentsOf } from '../../src/shared/safe-fs/walk-inside.js';

type TemplatedCode = keyof typeof ERROR_MESSAGES;
const templates = Object.entries(ERROR_MESSAGES) as [TemplatedCode, string][];
const slotsOf = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
/** A message of `code` read back as its template: fixed text kept, each slot any text. */
const shapeOf = (code: TemplatedCode): RegExp => {
  const fixed = ERROR_MESSAGES[code].split(/\{\w+\}/).map((part) => part.replace(/[.*+?^$()|[\]{}\\]/g, '\\$&'));
  return new RegExp(`^${fixed.join('[\\s\\S]+')}$`);
};
const caught = async (raise: () => unknown): Promise<PluginDynamicError> => {
  try {
    await raise();
  } catch (error) {
    return error as PluginDynamicError;
  }
  throw new Error('nothing was raised');
};

describe('the error catalogue', () => {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');

  it('documents every code in the README with its advice', () => {
    for (const [code, hint] of Object.entries(ERROR_CATALOGUE)) {
      expect(readme, code).toContain(`| \`${code}\` | ${hint.replace(/\|/g, '\\|')} |`);
    }
  });

  it('keeps the code and the cause, and turns anything else into INTERNAL', () => {
    const cause = new Error('low level');
    const e = new PluginDynamicError('NOT_INSTALLED', 'x is not installed', { cause });
    expect(e.cause).toBe(cause);
    expect(errorEnvelope(e)).toEqual({ success: false, error: { code: 'NOT_INSTALLED', message: 'x is not installed', hint: ERROR_CATALOGUE.NOT_INSTALLED } });
    expect(toPluginDynamicError(new TypeError('boom')).code).toBe('INTERNAL');
  });

  it('has message templates only for codes of the catalogue', () => {
    expect(templates.length).toBeGreaterThan(0);
    for (const [code, template] of templates) {
      expect(Object.keys(ERROR_CATALOGUE), code).toContain(code);
      expect(template.trim(), code).not.toBe('');
    }
  });

  it('fills every slot of every template with codedError, keeping the code and the options', () => {
    const cause = new Error('low level');
    for (const [code, template] of templates) {
      const slots = slotsOf(template);
      const params = Object.fromEntries(slots.map((slot) => [slot, `<${slot} value>`]));
      const error = codedError(code, params as never, { cause, details: { code } });
      expect(error.code).toBe(code);
      expect(error.cause).toBe(cause);
      expect(error.details).toEqual({ code });
      expect(error.hint).toBe(ERROR_CATALOGUE[code as ErrorCode]);
      expect(error.message, code).not.toMatch(/\{\w+\}/);
      for (const slot of slots) expect(error.message, `${code} {${slot}}`).toContain(`<${slot} value>`);
      expect(error.message, code).toMatch(shapeOf(code));
    }
  });

  it('refuses at compile time a raise that misses a slot (and shows the gap rather than hiding it)', () => {
    expect(codedError('DATA_DIR_BUSY', { holder: 'Process 1', dataDir: '/data' }).message).toBe('Process 1 is using /data.');
    // @ts-expect-error -- dataDir is a slot of DATA_DIR_BUSY's template and is missing
    const missing = codedError('DATA_DIR_BUSY', { holder: 'Process 1' });
    expect(missing.message).toBe('Process 1 is using {dataDir}.');
    // @ts-expect-error -- a misspelled slot is refused too
    expect(codedError('JOB_NOT_FOUND', { whch: 'exists yet' }).message).toBe('No plugin creation job {which}.');
  });

  it('reads with the same shape whichever place raises a code', async () => {
    const outside = [
      await caught(() => resolveInside('/data', '../etc/passwd')),
      await caught(() => componentsOf('src/../../etc/passwd')),
    ];
    const badInput = [
      await caught(() => pickAction({ actions: [{ actionName: 'ADD_NOTE' }] }, 'NOPE')),
      await caught(() => resolvePluginUrl('not a url')),
    ];
    for (const [code, errors] of [['PATH_OUTSIDE_ALLOWED', outside], ['INVALID_INPUT', badInput]] as const) {
      expect(errors[0]?.message).not.toBe(errors[1]?.message);
      for (const error of errors) {
        expect(error.code).toBe(code);
        expect(error.message).toMatch(shapeOf(code));
      }
    }
    expect(outside.map((e) => e.message)).toEqual([
      '"../etc/passwd" leaves /data (by its own path).',
      '"src/../../etc/passwd" leaves the folder (it is not a plain relative path).',
    ]);
  });
});
