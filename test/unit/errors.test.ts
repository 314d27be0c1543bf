import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, errorEnvelope, PluginDynamicError, toPluginDynamicError } from '../../src/errors.js';

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
});
