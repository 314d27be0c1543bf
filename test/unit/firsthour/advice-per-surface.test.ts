import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adviceFor, ERROR_ADVICE, ERROR_CATALOGUE, type ErrorCode } from '../../../src/errors.js';
import { panelOperationsScript } from '../../../src/http/panel-operations.js';

/** The agent's chat actions, which a CLI user or a panel user cannot call by those names. */
const CHAT_ACTIONS = /\b(LIST_AVAILABLE_PLUGINS|INSTALL_PLUGIN|CONFIGURE_PLUGIN|SET_PLUGIN_ISOLATION|ACTIVATE_PLUGIN|UNLOAD_PLUGIN|CREATE_PLUGIN)\b/;
const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe('advice for the surface where it is read', () => {
  it('never names a chat action in the CLI or the panel, and names the CLI flag, not "ask again with replace"', () => {
    for (const code of codes) {
      expect(adviceFor(code, 'cli'), code).not.toMatch(CHAT_ACTIONS);
      expect(adviceFor(code, 'panel'), code).not.toMatch(CHAT_ACTIONS);
    }
    expect(adviceFor('ALREADY_INSTALLED', 'cli')).toContain('--replace');
    expect(adviceFor('ALREADY_INSTALLED', 'panel')).toContain('tick Replace');
    expect(adviceFor('NEEDS_CONFIGURATION', 'cli')).toContain('plugin-dynamic configure');
    expect(adviceFor('NEEDS_CONFIGURATION', 'panel')).toContain('Configure button');
  });

  it('keeps the chat wording in the catalogue, where a chat action is the thing to ask for', () => {
    expect(adviceFor('NEEDS_CONFIGURATION', 'chat')).toBe(ERROR_CATALOGUE.NEEDS_CONFIGURATION);
    expect(adviceFor('NEEDS_CONFIGURATION', 'chat')).toContain('CONFIGURE_PLUGIN');
    expect(adviceFor('INTERNAL', 'cli')).toBe(ERROR_CATALOGUE.INTERNAL);
  });

  it('documents each per-surface wording in the README, in sync with the code', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| code | in the CLI | in the panel |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
    const documented = new Map<string, string>();
    for (const line of rows) {
      const cells = line.slice(2, -2).split(/(?<!\\) \| /);
      if (cells.length === 3) documented.set(cells[0]!.replace(/`/g, ''), line);
    }
    const esc = (t: string): string => t.replace(/\|/g, '\\|');
    for (const [code, advice] of Object.entries(ERROR_ADVICE)) {
      expect(readme, code).toContain(`| \`${code}\` | ${esc(advice.cli)} | ${esc(advice.panel)} |`);
    }
    expect([...documented.keys()].sort()).toEqual(Object.keys(ERROR_ADVICE).sort());
  });

  it("gives the panel its wording with its script, so a refused action's notice ends with the panel's advice", () => {
    const script = panelOperationsScript();
    const line = script.split('\n').find((l) => l.startsWith('const ERROR_ADVICE = '));
    const advice = JSON.parse(line!.slice('const ERROR_ADVICE = '.length, -1)) as Record<string, string>;
    expect(advice['ALREADY_INSTALLED']).toBe(ERROR_ADVICE.ALREADY_INSTALLED?.panel);
  });
});
