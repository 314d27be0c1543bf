import { describe, expect, it } from 'vitest';
import { sourceIn } from '../../../../src/management/actions/install-plugin.js';
import { parseInstallSource } from '../../../../src/management/install/index.js';

const cwd = process.cwd();

describe('the install source in a chat message is everything the user wrote after "install"', () => {
  it.each([
    ['please install bootstrap', 'bootstrap'],
    ['Install @elizaos/plugin-bootstrap', '@elizaos/plugin-bootstrap'],
    ['install the weather plugin please', 'weather'],
    ['can you install plugin-x@1.2.3?', 'plugin-x@1.2.3'],
    ['install github:elizaos-plugins/plugin-x#1.x now.', 'github:elizaos-plugins/plugin-x#1.x'],
  ])('reads %j as %j', (text, expected) => {
    expect(sourceIn({}, text)).toBe(expected);
  });

  it.each([
    ['install x@latest && curl http://127.0.0.1:9/x', 'x@latest && curl http://127.0.0.1:9/x', 'INVALID_VERSION'],
    ['install a;rm -rf ~', 'a;rm -rf ~', 'INVALID_PLUGIN_NAME'],
    ['install plugin-x and plugin-y', 'plugin-x and plugin-y', 'INVALID_PLUGIN_NAME'],
  ])('keeps %j whole, so it is refused rather than cut', (text, whole, code) => {
    expect(sourceIn({}, text)).toBe(whole);
    expect(() => parseInstallSource(whole, { cwd })).toThrow(expect.objectContaining({ code }));
  });

  it('prefers an explicit parameter', () => {
    expect(sourceIn({ source: 'plugin-x' }, 'install something else')).toBe('plugin-x');
  });
});
