import { describe, expect, it } from 'vitest';
import { isPluginDynamicError } from '../../../src/errors.js';
import { pluginLifecycle, PLUGIN_STATUSES } from '../../../src/management/state/plugin-status.js';

describe('the plugin lifecycle', () => {
  it('allows activating an installed plugin and deactivating an active one', () => {
    expect(pluginLifecycle.transition('installed', 'active', 'p')).toBe('active');
    expect(pluginLifecycle.transition('active', 'inactive', 'p')).toBe('inactive');
  });

  it('refuses an illegal move and names the moves that are allowed', () => {
    let caught: unknown;
    try {
      pluginLifecycle.transition('needs_configuration', 'active', '@elizaos/plugin-x');
    } catch (error) {
      caught = error;
    }
    expect(isPluginDynamicError(caught) && caught.code).toBe('ILLEGAL_TRANSITION');
    expect((caught as Error).message).toContain('Allowed from needs_configuration: installed');
  });

  it('has a row in the table for every status and only moves between known statuses', () => {
    for (const from of PLUGIN_STATUSES) {
      for (const to of pluginLifecycle.allowed(from)) expect(PLUGIN_STATUSES).toContain(to);
    }
    expect(pluginLifecycle.states).toEqual([...PLUGIN_STATUSES]);
  });
});
