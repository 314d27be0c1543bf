import { describe, expect, it } from 'vitest';
import { InProcessConfirmations } from '../../../src/management/in-process-confirmation.js';

function confirmations(now = () => 1_000) {
  const printed: string[] = [];
  const c = new InProcessConfirmations({ print: (line) => void printed.push(line), ttlMs: 60_000, now });
  const lastCode = () => /the code ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(printed.at(-1) ?? '')?.[1] ?? '';
  return { c, printed, lastCode };
}

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'passed';
};

describe('the confirmation a move in-process needs', () => {
  it('refuses a request without one and prints a code for the operator', () => {
    const { c, printed, lastCode } = confirmations();
    expect(refusal(() => c.require('plugin-x', undefined))).toBe('CONFIRMATION_REQUIRED');
    expect(printed).toHaveLength(1);
    expect(lastCode()).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  });

  it('passes with the typed name and the printed code, once', () => {
    const { c, lastCode } = confirmations();
    refusal(() => c.require('plugin-x', undefined));
    const code = lastCode();
    expect(refusal(() => c.require('plugin-x', { name: ' Plugin-X ', code: code.toLowerCase() }))).toBe('passed');
    expect(refusal(() => c.require('plugin-x', { name: 'plugin-x', code }))).toBe('CONFIRMATION_REQUIRED');
  });

  it('spends the code on a wrong guess, a wrong name, another plugin or an expired code', () => {
    const { c, lastCode } = confirmations();
    refusal(() => c.require('plugin-x', undefined));
    const first = lastCode();
    expect(refusal(() => c.require('plugin-x', { name: 'plugin-x', code: 'AAAA-AAAA' }))).toBe('CONFIRMATION_REQUIRED');
    expect(refusal(() => c.require('plugin-x', { name: 'plugin-x', code: first }))).toBe('CONFIRMATION_REQUIRED');
    const second = lastCode();
    expect(refusal(() => c.require('plugin-x', { name: 'plugin-y', code: second }))).toBe('CONFIRMATION_REQUIRED');
    expect(refusal(() => c.require('plugin-y', { name: 'plugin-y', code: lastCode() }))).toBe('CONFIRMATION_REQUIRED');
    let now = 1_000;
    const timed = confirmations(() => now);
    refusal(() => timed.c.require('plugin-x', undefined));
    now += 60_001;
    expect(refusal(() => timed.c.require('plugin-x', { name: 'plugin-x', code: timed.lastCode() }))).toBe('CONFIRMATION_REQUIRED');
  });
});
